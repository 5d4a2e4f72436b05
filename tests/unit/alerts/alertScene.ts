// Synthetic scenes for the alert rules: objects on keyframed routes, detected without noise, run through
// the real CameraPipeline, so each rule sees what the analyzer would hand it.
import { Detections, TRAFFIC_CLASSES, type TrafficClass } from '../../../core/detections.ts';
import type { AlertRule, AlertSignal, ImageStats } from '../../../core/alerts.ts';
import type { CameraAnalysis } from '../../../core/cameraAnalysis.ts';
import type { PointPx } from '../../../core/geometry.ts';
import { CameraPipeline, type PipelineOutput } from '../../../analytics/cameraPipeline.ts';
import { AlertEngine } from '../../../alerts/alertEngine.ts';
import type { AlertFrame } from '../../../alerts/ruleEvaluator.ts';

/** Wednesday 2026-11-25 10:00 in Asia/Ho_Chi_Minh. */
export const START_MS = Date.UTC(2026, 10, 25, 3, 0, 0);
export const TIME_ZONE = 'Asia/Ho_Chi_Minh';
export const SIZE = { widthPx: 640, heightPx: 480 };

const rect = (x1: number, y1: number, x2: number, y2: number): PointPx[] => [
  { x: x1, y: y1 },
  { x: x2, y: y1 },
  { x: x2, y: y2 },
  { x: x1, y: y2 },
];

/** A one-way line across the middle (moving down the image is 'south'), a square, a road and a restricted area. */
export const ANALYSIS: CameraAnalysis = {
  widthPx: 640,
  heightPx: 480,
  lines: [
    {
      id: 'one-way',
      points: [
        { x: 0, y: 240 },
        { x: 640, y: 240 },
      ],
      directions: { leftToRight: 'south', rightToLeft: 'north' },
    },
  ],
  zones: [
    { id: 'giao-lo', polygon: rect(10, 10, 330, 230), areaM2: 40 },
    { id: 'road', polygon: rect(0, 260, 640, 480) },
    { id: 'restricted', polygon: rect(400, 20, 630, 220) },
  ],
  calibration: null,
};

/** Where a box's bottom-centre is at scene second tS: linear between keyframes, absent outside them. */
export function route(...keys: Array<[tS: number, x: number, y: number]>): (tS: number) => PointPx | null {
  return (tS) => {
    if (tS < keys[0]![0] || tS > keys[keys.length - 1]![0]) return null;
    for (let i = 1; i < keys.length; i++) {
      const [t1, x1, y1] = keys[i]!;
      if (tS > t1) continue;
      const [t0, x0, y0] = keys[i - 1]!;
      const f = t1 === t0 ? 1 : (tS - t0) / (t1 - t0);
      return { x: x0 + f * (x1 - x0), y: y0 + f * (y1 - y0) };
    }
    return null;
  };
}

export interface Actor {
  className: TrafficClass;
  widthPx: number;
  heightPx: number;
  at: (tS: number) => PointPx | null;
  /** The class the detector gives the box at tS (a flickering label); className when absent. */
  classAt?: (tS: number) => TrafficClass;
}

export function person(at: Actor['at']): Actor {
  return { className: 'person', widthPx: 16, heightPx: 40, at };
}

export function vehicle(className: TrafficClass, at: Actor['at']): Actor {
  return className === 'car' || className === 'bus' || className === 'truck'
    ? { className, widthPx: 60, heightPx: 40, at }
    : { className, widthPx: 24, heightPx: 36, at };
}

export interface SceneStep {
  frame: AlertFrame;
  output: PipelineOutput;
}

/** The pipeline's outputs for a scene, frame by frame (fps frames a second, scene seconds 0…durationS). */
export function runPipeline(
  actors: readonly Actor[],
  options: {
    durationS: number;
    fps: number;
    startMs?: number;
    image?: (tS: number) => ImageStats | undefined;
    analysis?: CameraAnalysis;
  },
): SceneStep[] {
  const pipeline = new CameraPipeline('cam', options.analysis ?? ANALYSIS, SIZE);
  const steps: SceneStep[] = [];
  const frames = Math.round(options.durationS * options.fps);
  for (let k = 0; k <= frames; k++) {
    const tS = k / options.fps;
    const capturedAtMs = (options.startMs ?? START_MS) + Math.round(tS * 1000);
    const boxes: number[] = [];
    const classIds: number[] = [];
    for (const actor of actors) {
      const p = actor.at(tS);
      if (!p) continue;
      boxes.push(p.x - actor.widthPx / 2, p.y - actor.heightPx, p.x + actor.widthPx / 2, p.y);
      classIds.push(TRAFFIC_CLASSES.indexOf(actor.classAt?.(tS) ?? actor.className));
    }
    const detections = new Detections({
      boxes: Float32Array.from(boxes),
      scores: new Float32Array(classIds.length).fill(0.9),
      classIds: Uint8Array.from(classIds),
    });
    const output = pipeline.process({
      capturedAtMs,
      frameWidthPx: SIZE.widthPx,
      frameHeightPx: SIZE.heightPx,
      detections,
    })!;
    const image = options.image?.(tS);
    steps.push({
      frame: {
        seq: k,
        capturedAtMs,
        frameWidthPx: SIZE.widthPx,
        frameHeightPx: SIZE.heightPx,
        ...(image ? { image } : {}),
      },
      output,
    });
  }
  return steps;
}

export function newEngine(rules: AlertRule[], analysis: CameraAnalysis = ANALYSIS): AlertEngine {
  return new AlertEngine('cam', rules, analysis, SIZE, { timeZone: TIME_ZONE });
}

export function feed(engine: AlertEngine, steps: readonly SceneStep[]): AlertSignal[] {
  return steps.flatMap((step) => engine.onFrame(step.frame, step.output));
}

/** Scene second of an event time. */
export const sceneS = (ms: number, startMs = START_MS): number => (ms - startMs) / 1000;

/** kind, subject and scene second of each signal: the shape most tests pin. */
export function timeline(signals: readonly AlertSignal[], startMs = START_MS): Array<[string, string, number]> {
  return signals.map((s) => [s.kind, s.subject, sceneS(s.atMs, startMs)]);
}
