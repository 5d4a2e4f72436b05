// The one canonical Detections value (struct of arrays), shared by inference (which builds it from a
// model's output) and analytics (which tracks and counts it). Validated when built.
import Type, { type Static } from 'typebox';
import { ValidationError } from './errors.ts';

/** Traffic classes the engine reasons about, mapped from each model's own class ids. */
export const TRAFFIC_CLASSES = ['person', 'bicycle', 'motorbike', 'car', 'bus', 'truck'] as const;
export type TrafficClass = (typeof TRAFFIC_CLASSES)[number];
export type TrafficClassId = number; // index into TRAFFIC_CLASSES

/** Class ids of vehicles on four wheels (car, bus, truck): one kind of road user for tracking and counting. */
export const FOUR_WHEELER_CLASS_IDS: ReadonlySet<TrafficClassId> = new Set(
  (['car', 'bus', 'truck'] as const).map((name) => TRAFFIC_CLASSES.indexOf(name)),
);
/** Class ids of two-wheelers (motorbike, bicycle). */
export const TWO_WHEELER_CLASS_IDS: ReadonlySet<TrafficClassId> = new Set(
  (['motorbike', 'bicycle'] as const).map((name) => TRAFFIC_CLASSES.indexOf(name)),
);

export interface DetectionsInit {
  /** xyxy boxes in source pixels, 4 values per detection. */
  boxes: Float32Array;
  scores: Float32Array;
  classIds: Uint8Array;
  /** Track ids, filled by the tracker; -1 where untracked. */
  trackIds?: Int32Array;
}

export class Detections {
  readonly boxes: Float32Array;
  readonly scores: Float32Array;
  readonly classIds: Uint8Array;
  readonly trackIds: Int32Array;

  constructor(init: DetectionsInit) {
    const count = init.scores.length;
    if (init.boxes.length !== count * 4) {
      throw new ValidationError(`boxes has ${init.boxes.length} values, expected ${count * 4}`, { field: 'boxes' });
    }
    if (init.classIds.length !== count) {
      throw new ValidationError(`classIds has ${init.classIds.length} values, expected ${count}`, {
        field: 'classIds',
      });
    }
    if (init.trackIds && init.trackIds.length !== count) {
      throw new ValidationError(`trackIds has ${init.trackIds.length} values, expected ${count}`, {
        field: 'trackIds',
      });
    }
    for (let i = 0; i < count; i++) {
      const x1 = init.boxes[i * 4]!,
        y1 = init.boxes[i * 4 + 1]!,
        x2 = init.boxes[i * 4 + 2]!,
        y2 = init.boxes[i * 4 + 3]!;
      if (!(x2 >= x1 && y2 >= y1) || !Number.isFinite(x1 + y1 + x2 + y2)) {
        throw new ValidationError(`box ${i} is not a finite xyxy box`, { field: 'boxes' });
      }
      if (init.classIds[i]! >= TRAFFIC_CLASSES.length) {
        throw new ValidationError(`class id ${init.classIds[i]} of detection ${i} is unknown`, { field: 'classIds' });
      }
    }
    this.boxes = init.boxes;
    this.scores = init.scores;
    this.classIds = init.classIds;
    this.trackIds = init.trackIds ?? new Int32Array(count).fill(-1);
  }

  get length(): number {
    return this.scores.length;
  }

  static empty(): Detections {
    return new Detections({ boxes: new Float32Array(0), scores: new Float32Array(0), classIds: new Uint8Array(0) });
  }

  /** Plain JSON form for queues, WebSocket and storage. */
  toJSON(): DetectionsJson {
    return {
      boxes: Array.from(this.boxes, (v) => Math.round(v * 10) / 10),
      scores: Array.from(this.scores, (v) => Math.round(v * 1000) / 1000),
      classIds: Array.from(this.classIds),
      trackIds: Array.from(this.trackIds),
    };
  }

  static fromJSON(json: DetectionsJson): Detections {
    return new Detections({
      boxes: Float32Array.from(json.boxes),
      scores: Float32Array.from(json.scores),
      classIds: Uint8Array.from(json.classIds),
      trackIds: Int32Array.from(json.trackIds),
    });
  }
}

/** Plain JSON form of Detections (queues, results stream, WebSocket); lengths are checked by the constructor. */
export const DetectionsJsonSchema = Type.Object({
  boxes: Type.Array(Type.Number(), { description: 'xyxy in source px, 4 values per detection' }),
  scores: Type.Array(Type.Number()),
  classIds: Type.Array(Type.Integer({ minimum: 0 }), { description: 'Indexes of TRAFFIC_CLASSES' }),
  trackIds: Type.Array(Type.Integer(), { description: '-1 where untracked' }),
});
export type DetectionsJson = Static<typeof DetectionsJsonSchema>;
