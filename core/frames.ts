// The sampled frame: what ingest produces and inference consumes. Declared once here so the
// queue payload, the sink and the worker agree on one shape.
import type { RectPx } from './geometry.ts';
import type { SourceEnd } from './inferenceResult.ts';

export interface Frame {
  cameraId: string;
  /**
   * Monotonic per camera for the life of the ingest process: never reused after a reconnect, nor after the
   * camera is restarted (URL edited: its next supervisor goes on from the last); 0 again in a new process.
   */
  seq: number;
  /** Capture time, UTC epoch milliseconds. */
  capturedAtMs: number;
  jpeg: Buffer;
  widthPx: number;
  heightPx: number;
  /** Where the picture moved (source pixels, [] = nothing), when motion gating looked; see core/frameJob.ts. */
  motion?: RectPx[];
}

/** Where ingest hands frames. The next stage (BullMQ) implements it; tests use an in-memory one. */
export interface FrameSink {
  push(frame: Frame): void | Promise<void>;
  /** The source ended after the frames pushed so far: the marker follows them, in seq order. */
  endSource?(end: SourceEnd): void | Promise<void>;
  close?(): Promise<void>;
}
