// What inference publishes per analysed frame (in core/redis.ts redisKeys.results), declared once so the
// worker (inference/), the analyzer and the API agree on one shape without importing inference/.
import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { ImageStatsSchema } from './alerts.ts';
import { DetectionsJsonSchema } from './detections.ts';
import { RectPxSchema } from './rectPxSchema.ts';

export const InferenceResultSchema = Type.Object({
  cameraId: Type.String(),
  seq: Type.Integer(),
  capturedAtMs: Type.Number({ description: 'Capture time, UTC epoch milliseconds' }),
  enqueuedAtMs: Type.Number({
    description:
      'When the frame was put on the "frames" queue (queue-to-result latency = publishedAtMs − enqueuedAtMs)',
  }),
  publishedAtMs: Type.Number(),
  frameWidthPx: Type.Number({ exclusiveMinimum: 0 }),
  frameHeightPx: Type.Number({ exclusiveMinimum: 0 }),
  /** Traffic detections in source pixels (class ids index core/detections.ts TRAFFIC_CLASSES). */
  detections: DetectionsJsonSchema,
  /**
   * Detections under their class's publishing threshold (config inference.faintMinScore): not objects on
   * their own, only the tracker's second association may extend a track with one. Absent: none (or an older worker).
   */
  faintDetections: Type.Optional(DetectionsJsonSchema),
  modelId: Type.String(),
  inferenceMs: Type.Number({
    description: 'Preprocessing + model + decoding time of this frame, all regions together',
  }),
  regionCount: Type.Integer({ description: 'Regions analysed (1 = whole frame only)' }),
  workerId: Type.String({ description: 'hostname:pid of the worker that produced it' }),
  image: Type.Optional(ImageStatsSchema),
  /**
   * Motion gating: the only parts of the frame the model ran on (source pixels; [] = none, nothing moved).
   * Tracks elsewhere were not looked for and are carried, not missed. Absent: the camera's whole plan ran.
   */
  analysedRegions: Type.Optional(Type.Array(RectPxSchema, { description: 'Parts of the frame the model ran on' })),
});
/** What inference publishes per analysed frame (image statistics are absent from older workers). */
export type InferenceResult = Static<typeof InferenceResultSchema>;

/** Compiled once: the analyzer checks every result it reads with it (bench/boundaryChecks.ts measures the cost). */
export const inferenceResultCheck = Compile(InferenceResultSchema);

/**
 * Why a seq will never have a result: dropped by backpressure (the frame sink) or rejected / failed for good
 * by a worker. Written into the camera's results stream as a `skip` entry so the analyzer's re-order buffer
 * passes that seq at once instead of waiting for it as for a frame still in flight (a worker takeover).
 */
export type SkipReason = 'dropped' | 'rejected';

export interface SkippedFrame {
  cameraId: string;
  seq: number;
  reason: SkipReason;
}

/**
 * The end of a camera's source (the clip ended, ffmpeg exited): a marker with a seq of its own, right after the
 * source's last frame, travelling the frames queue behind that frame and written into the results stream as an
 * `end` entry, so the analyzer meets it in seq order and ends every track there (a scene cut, 'sourceEnded').
 * A stream that merely goes quiet (Redis or a worker away) carries none and ends no track.
 */
export const SourceEndSchema = Type.Object({
  cameraId: Type.String({ minLength: 1 }),
  seq: Type.Integer(),
  /** Capture time of the source's last frame, UTC epoch milliseconds. */
  capturedAtMs: Type.Number(),
});
export type SourceEnd = Static<typeof SourceEndSchema>;
export const sourceEndCheck = Compile(SourceEndSchema);

/** Stream field of a skip entry (a result entry carries RESULT_FIELD, a source's end END_FIELD). */
export const SKIP_FIELD = 'skip';
export const END_FIELD = 'end';
export const RESULT_FIELD = 'result';
