// What inference publishes per analysed frame (in core/redis.ts redisKeys.results), declared once so the
// worker (inference/), the analyzer and the API agree on one shape without importing inference/.
import type { ImageStats } from './alerts.ts';
import type { DetectionsJson } from './detections.ts';

export interface InferenceResult {
  cameraId: string;
  seq: number;
  /** Capture time, UTC epoch milliseconds. */
  capturedAtMs: number;
  /** When the frame was put on the "frames" queue (queue-to-result latency = publishedAtMs − enqueuedAtMs). */
  enqueuedAtMs: number;
  publishedAtMs: number;
  frameWidthPx: number;
  frameHeightPx: number;
  /** Traffic detections in source pixels (class ids index core/detections.ts TRAFFIC_CLASSES). */
  detections: DetectionsJson;
  modelId: string;
  /** Preprocessing + model + decoding time of this frame, all regions together. */
  inferenceMs: number;
  /** Regions analysed (1 = whole frame only). */
  regionCount: number;
  /** hostname:pid of the worker that produced it. */
  workerId: string;
  /** Whole-image statistics for the camera-problem rules (frozen, black, view changed); absent from older workers. */
  image?: ImageStats;
}

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

/** Stream field of a skip entry (a result entry carries RESULT_FIELD). */
export const SKIP_FIELD = 'skip';
export const RESULT_FIELD = 'result';
