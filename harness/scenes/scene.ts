// Synthetic traffic scenes for the analytics tests and bench: objects on known paths, sampled at a chosen fps
// into noisy Detections, with the truth (line crossings, zone stays) known by construction.
import { Detections, TRAFFIC_CLASSES, type TrafficClass } from '../../core/detections.ts';
import type { FrameSizePx, PointPx } from '../../core/geometry.ts';

/** Seeded PRNG (mulberry32) with Gaussian draws (Box–Muller): same seed, same scene. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
  normal(): number {
    const u = Math.max(this.next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
}

/** Where the object's bottom-centre is at tS (scene seconds), null when it is not in the scene. */
export type Path = (tS: number) => PointPx | null;

export function straightPath(from: PointPx, to: PointPx, speedPxPerS: number, startS: number): Path {
  const length = Math.hypot(to.x - from.x, to.y - from.y);
  const endS = startS + length / speedPxPerS;
  return (tS) => {
    if (tS < startS || tS > endS) return null;
    const f = ((tS - startS) * speedPxPerS) / length;
    return { x: from.x + f * (to.x - from.x), y: from.y + f * (to.y - from.y) };
  };
}

/** Quadratic Bézier travelled at constant speed (arc length tabulated). */
export function curvedPath(from: PointPx, control: PointPx, to: PointPx, speedPxPerS: number, startS: number): Path {
  const at = (u: number): PointPx => ({
    x: (1 - u) ** 2 * from.x + 2 * (1 - u) * u * control.x + u * u * to.x,
    y: (1 - u) ** 2 * from.y + 2 * (1 - u) * u * control.y + u * u * to.y,
  });
  const steps = 2000;
  const lengths = [0];
  for (let i = 1; i <= steps; i++) {
    const a = at((i - 1) / steps);
    const b = at(i / steps);
    lengths.push(lengths[i - 1]! + Math.hypot(b.x - a.x, b.y - a.y));
  }
  const total = lengths[steps]!;
  const endS = startS + total / speedPxPerS;
  return (tS) => {
    if (tS < startS || tS > endS) return null;
    const s = (tS - startS) * speedPxPerS;
    let lo = 0;
    let hi = steps;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (lengths[mid]! <= s) lo = mid;
      else hi = mid;
    }
    const span = lengths[hi]! - lengths[lo]!;
    const f = span > 0 ? (s - lengths[lo]!) / span : 0;
    return at((lo + f) / steps);
  };
}

export function stationaryPath(at: PointPx, startS: number, endS: number): Path {
  return (tS) => (tS < startS || tS > endS ? null : { x: at.x, y: at.y });
}

export interface SceneObject {
  name: string;
  className: TrafficClass;
  widthPx: number;
  heightPx: number;
  path: Path;
}

export interface SceneNoise {
  /** Std of box edges as a fraction of the box size. */
  positionStdFrac: number;
  /** Probability that an object is not detected in a frame. */
  dropRate: number;
  /** Probability that a detection scores low (0.2–0.45: occluded, blurred). */
  lowScoreRate: number;
  /** Probability that a detection has a confusable class (motorbike↔bicycle, car↔truck, bus↔truck). */
  classFlipRate: number;
  /** Spurious low-score detections per frame at random places. */
  clutterPerFrame: number;
  /** Probability that a whole frame never reaches the tracker (dropped by backpressure): a gap in time. */
  frameMissRate?: number;
}

export const NO_NOISE: SceneNoise = {
  positionStdFrac: 0,
  dropRate: 0,
  lowScoreRate: 0,
  classFlipRate: 0,
  clutterPerFrame: 0,
};
export const REALISTIC_NOISE: SceneNoise = {
  positionStdFrac: 0.03,
  dropRate: 0.2,
  lowScoreRate: 0.1,
  classFlipRate: 0.05,
  clutterPerFrame: 1,
};

export interface SceneFrame {
  timestampMs: number;
  tS: number;
  detections: Detections;
  /** Object index behind each detection, -1 for clutter. */
  objectOf: number[];
}

export interface SampleOptions {
  fps: number;
  durationS: number;
  seed: number;
  noise: SceneNoise;
  frameSizePx?: FrameSizePx;
  /** Epoch ms of scene time 0. */
  startMs?: number;
}

export const FRAME: FrameSizePx = { widthPx: 1280, heightPx: 720 };
export const SCENE_START_MS = Date.UTC(2026, 0, 5, 7, 30, 0);

const CONFUSABLE: Partial<Record<TrafficClass, TrafficClass>> = {
  motorbike: 'bicycle',
  bicycle: 'motorbike',
  car: 'truck',
  truck: 'car',
  bus: 'truck',
};

/** Box of an object at tS (bottom-centre anchored), before noise; null when out of scene or frame. */
export function trueBox(object: SceneObject, tS: number, frame = FRAME): [number, number, number, number] | null {
  const p = object.path(tS);
  if (!p) return null;
  const cx = p.x;
  const cy = p.y - object.heightPx / 2;
  if (cx < 0 || cy < 0 || cx > frame.widthPx || cy > frame.heightPx) return null;
  return [p.x - object.widthPx / 2, p.y - object.heightPx, p.x + object.widthPx / 2, p.y];
}

export function sampleScene(objects: readonly SceneObject[], options: SampleOptions): SceneFrame[] {
  const rng = new Rng(options.seed);
  const frame = options.frameSizePx ?? FRAME;
  const startMs = options.startMs ?? SCENE_START_MS;
  const { noise } = options;
  // Missed frames come from a generator of their own, so a scene with them differs only by the gaps.
  const missRng = new Rng(options.seed + 0x9e3779b9);
  const frames: SceneFrame[] = [];
  const frameCount = Math.floor(options.durationS * options.fps) + 1;
  for (let k = 0; k < frameCount; k++) {
    const tS = k / options.fps;
    const boxes: number[] = [];
    const scores: number[] = [];
    const classIds: number[] = [];
    const objectOf: number[] = [];
    objects.forEach((object, index) => {
      const box = trueBox(object, tS, frame);
      // Draw every random number whether or not the object is seen, so scenes differ only where they must.
      const drop = rng.next() < noise.dropRate;
      const low = rng.next() < noise.lowScoreRate;
      const flip = rng.next() < noise.classFlipRate;
      const score = low ? rng.uniform(0.2, 0.45) : rng.uniform(0.6, 0.95);
      const jitter = [rng.normal(), rng.normal(), rng.normal(), rng.normal()];
      if (!box || drop) return;
      const sx = noise.positionStdFrac * object.widthPx;
      const sy = noise.positionStdFrac * object.heightPx;
      const noisy = [
        box[0] + jitter[0]! * sx,
        box[1] + jitter[1]! * sy,
        box[2] + jitter[2]! * sx,
        box[3] + jitter[3]! * sy,
      ];
      const clipped = [
        clamp(Math.min(noisy[0]!, noisy[2]! - 2), 0, frame.widthPx),
        clamp(Math.min(noisy[1]!, noisy[3]! - 2), 0, frame.heightPx),
        clamp(Math.max(noisy[2]!, noisy[0]! + 2), 0, frame.widthPx),
        clamp(Math.max(noisy[3]!, noisy[1]! + 2), 0, frame.heightPx),
      ];
      const className = flip ? (CONFUSABLE[object.className] ?? object.className) : object.className;
      boxes.push(...clipped);
      scores.push(score);
      classIds.push(TRAFFIC_CLASSES.indexOf(className));
      objectOf.push(index);
    });
    for (let c = 0; c < noise.clutterPerFrame; c++) {
      const x = rng.uniform(0, frame.widthPx - 40);
      const y = rng.uniform(0, frame.heightPx - 40);
      const size = rng.uniform(15, 40);
      boxes.push(x, y, x + size, y + size);
      scores.push(rng.uniform(0.1, 0.3));
      classIds.push(Math.floor(rng.next() * TRAFFIC_CLASSES.length));
      objectOf.push(-1);
    }
    if (k > 0 && missRng.next() < (noise.frameMissRate ?? 0)) continue;
    frames.push({
      timestampMs: startMs + Math.round(tS * 1000),
      tS,
      detections: new Detections({
        boxes: Float32Array.from(boxes),
        scores: Float32Array.from(scores),
        classIds: Uint8Array.from(classIds),
      }),
      objectOf,
    });
  }
  return frames;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/**
 * True crossings of a segment line by each object's bottom-centre, from its exact path sampled at
 * 1 kHz while it is in the frame: direction name → class → count.
 */
export function trueLineCounts(
  objects: readonly SceneObject[],
  line: { p0: PointPx; p1: PointPx; leftToRight: string; rightToLeft: string },
  durationS: number,
): Record<string, Partial<Record<TrafficClass, number>>> {
  const counts: Record<string, Partial<Record<TrafficClass, number>>> = {
    [line.leftToRight]: {},
    [line.rightToLeft]: {},
  };
  const side = (p: PointPx) =>
    Math.sign((line.p1.x - line.p0.x) * (p.y - line.p0.y) - (line.p1.y - line.p0.y) * (p.x - line.p0.x));
  const along = (p: PointPx) => {
    const dx = line.p1.x - line.p0.x;
    const dy = line.p1.y - line.p0.y;
    return ((p.x - line.p0.x) * dx + (p.y - line.p0.y) * dy) / (dx * dx + dy * dy);
  };
  for (const object of objects) {
    let previous: PointPx | null = null;
    for (let ms = 0; ms <= durationS * 1000; ms++) {
      const box = trueBox(object, ms / 1000);
      const p = box ? { x: (box[0] + box[2]) / 2, y: box[3] } : null;
      if (p && previous && side(p) !== 0 && side(previous) !== 0 && side(p) !== side(previous)) {
        const f = along(p);
        if (f >= 0 && f <= 1) {
          const direction = side(previous) < 0 ? line.leftToRight : line.rightToLeft;
          counts[direction]![object.className] = (counts[direction]![object.className] ?? 0) + 1;
        }
      }
      if (p && side(p) !== 0) previous = p;
      if (!p) previous = null;
    }
  }
  return counts;
}
