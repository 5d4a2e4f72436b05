// The "frames" queue's job: one sampled JPEG of one camera. Declared once here so the sink that adds
// it and the worker that consumes it agree; the JPEG travels base64 in BullMQ's JSON job data.
import type { Frame } from '../core/frames.ts';

export interface FrameJobData {
  cameraId: string;
  seq: number;
  capturedAtMs: number;
  widthPx: number;
  heightPx: number;
  enqueuedAtMs: number;
  jpegBase64: string;
}

export const FRAME_JOB_NAME = 'frame';

/** BullMQ job id of a frame: unique per (camera, seq); BullMQ forbids ':' and plain integers in custom ids. */
export function frameJobId(cameraId: string, seq: number): string {
  return `f_${cameraId.replaceAll(':', '%3A')}_${seq}`;
}

export function toFrameJobData(frame: Frame, enqueuedAtMs: number): FrameJobData {
  return {
    cameraId: frame.cameraId,
    seq: frame.seq,
    capturedAtMs: frame.capturedAtMs,
    widthPx: frame.widthPx,
    heightPx: frame.heightPx,
    enqueuedAtMs,
    jpegBase64: frame.jpeg.toString('base64'),
  };
}
