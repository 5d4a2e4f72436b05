// Synthetic inference results for the analyzer's tests and bench: vehicles driving across a horizontal
// counting line on known lanes, sampled at a chosen fps, so how many cross each way is known by construction.
import { TRAFFIC_CLASSES, type TrafficClass } from '../../../core/detections.ts';
import type { CameraAnalysis } from '../../../core/cameraAnalysis.ts';
import type { InferenceResult } from '../../../core/inferenceResult.ts';

export const FRAME_WIDTH_PX = 960;
export const FRAME_HEIGHT_PX = 540;

/** Drawn on a 1920×1080 still (twice the analysed size) so the scaling path is always exercised. */
export const TEST_ANALYSIS: CameraAnalysis = {
  widthPx: 1920,
  heightPx: 1080,
  lines: [
    {
      id: 'stop-line',
      name: 'Stop line',
      points: [
        { x: 0, y: 540 },
        { x: 1920, y: 540 },
      ],
      directions: { leftToRight: 'inbound', rightToLeft: 'outbound' },
    },
  ],
  zones: [
    {
      id: 'junction',
      polygon: [
        { x: 400, y: 300 },
        { x: 1520, y: 300 },
        { x: 1520, y: 800 },
        { x: 400, y: 800 },
      ],
      areaM2: 120,
    },
  ],
  calibration: {
    imagePoints: [
      { x: 0, y: 1080 },
      { x: 1920, y: 1080 },
      { x: 1920, y: 0 },
      { x: 0, y: 0 },
    ],
    groundPoints: [
      { x: 0, y: 0 },
      { x: 24, y: 0 },
      { x: 24, y: 60 },
      { x: 0, y: 60 },
    ],
  },
};

export interface Vehicle {
  className: TrafficClass;
  /** Centre x, px of the analysed frame. */
  laneX: number;
  /** +1 drives down the image (crosses the line inbound: the line runs left→right, down is its right side… see expectedCrossings). */
  down: boolean;
  startMs: number;
  speedPxPerS: number;
  widthPx: number;
  heightPx: number;
}

export interface TrafficOptions {
  cameraId: string;
  startMs: number;
  durationMs: number;
  fps: number;
  /** A new vehicle every this many ms. Default 1500. */
  spawnEveryMs?: number;
  /** Vehicles on screen at once are about durationOnScreen / spawnEveryMs. */
  speedPxPerS?: number;
}

/** Vehicles alternating lanes, classes and directions; deterministic. */
export function trafficVehicles(options: TrafficOptions): Vehicle[] {
  const spawnEveryMs = options.spawnEveryMs ?? 1500;
  const classes: TrafficClass[] = ['motorbike', 'car', 'motorbike', 'bus', 'motorbike', 'truck', 'bicycle'];
  const vehicles: Vehicle[] = [];
  for (let i = 0, t = options.startMs + 500; t < options.startMs + options.durationMs; i++, t += spawnEveryMs) {
    const className = classes[i % classes.length]!;
    const big = className === 'bus' || className === 'truck';
    const small = className === 'motorbike' || className === 'bicycle';
    vehicles.push({
      className,
      laneX: 80 + ((i * 7) % 12) * 70,
      down: i % 3 !== 2,
      startMs: t,
      speedPxPerS: (options.speedPxPerS ?? 160) * (small ? 1.1 : 1),
      widthPx: big ? 90 : small ? 24 : 60,
      heightPx: big ? 110 : small ? 40 : 55,
    });
  }
  return vehicles;
}

/** Bottom-centre y of a vehicle at tMs; null when off screen. Starts just outside the frame. */
function bottomYAt(v: Vehicle, tMs: number): number | null {
  const travelled = ((tMs - v.startMs) / 1000) * v.speedPxPerS;
  if (tMs < v.startMs) return null;
  const y = v.down ? travelled : FRAME_HEIGHT_PX + v.heightPx - travelled;
  if (y < 0 || y - v.heightPx > FRAME_HEIGHT_PX) return null;
  return y;
}

/** One result per frame at `fps`, seq from 1, detections exactly on the vehicles' boxes. */
export function trafficResults(options: TrafficOptions, vehicles = trafficVehicles(options)): InferenceResult[] {
  const results: InferenceResult[] = [];
  const frameMs = 1000 / options.fps;
  for (
    let seq = 1, tMs = options.startMs;
    tMs < options.startMs + options.durationMs;
    seq++, tMs = options.startMs + (seq - 1) * frameMs
  ) {
    const capturedAtMs = Math.round(tMs);
    const boxes: number[] = [];
    const scores: number[] = [];
    const classIds: number[] = [];
    for (const v of vehicles) {
      const y = bottomYAt(v, capturedAtMs);
      if (y === null) continue;
      const y2 = Math.min(FRAME_HEIGHT_PX, y);
      const y1 = Math.max(0, y - v.heightPx);
      if (y2 - y1 < 4) continue;
      boxes.push(v.laneX - v.widthPx / 2, y1, v.laneX + v.widthPx / 2, y2);
      scores.push(0.9);
      classIds.push(TRAFFIC_CLASSES.indexOf(v.className));
    }
    results.push({
      cameraId: options.cameraId,
      seq,
      capturedAtMs,
      enqueuedAtMs: capturedAtMs + 5,
      publishedAtMs: capturedAtMs + 40,
      frameWidthPx: FRAME_WIDTH_PX,
      frameHeightPx: FRAME_HEIGHT_PX,
      detections: { boxes, scores, classIds, trackIds: classIds.map(() => -1) },
      modelId: 'synthetic',
      inferenceMs: 1,
      regionCount: 1,
      workerId: 'test:0',
    });
  }
  return results;
}

/**
 * Crossings of the mid-frame line (y = 270 px) completed within [startMs, endMs): a vehicle driving down
 * the image goes from the line's left (above, walking left→right with y down) to its right: 'inbound'.
 */
export function expectedCrossings(vehicles: readonly Vehicle[], endMs: number): Map<string, number> {
  const counts = new Map<string, number>();
  const lineY = FRAME_HEIGHT_PX / 2;
  for (const v of vehicles) {
    const travelToLine = v.down ? lineY : FRAME_HEIGHT_PX + v.heightPx - lineY;
    // Settles on the far side once the anchor is past the dead band (15 % of the box height) and one frame on.
    const crossMs = v.startMs + ((travelToLine + 0.15 * v.heightPx + 1) / v.speedPxPerS) * 1000;
    if (crossMs + 400 >= endMs) continue;
    const key = `${v.down ? 'inbound' : 'outbound'}/${v.className}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}
