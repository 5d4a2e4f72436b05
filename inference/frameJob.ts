// The "frames" queue's job: one sampled frame of one camera by reference (its JPEG is in Redis under its frame
// key), its id and its backlog key; its shape is the schema in core/frameJob.ts, so sink and worker agree.
import type { Frame } from '../core/frames.ts';
import type { FrameJobData } from '../core/frameJob.ts';

export type { FrameJobData };

export const FRAME_JOB_NAME = 'frame';
/** A source's end (core/inferenceResult.ts SourceEnd) on the same queue, behind the source's last frame. */
export const SOURCE_END_JOB_NAME = 'sourceEnded';

/** BullMQ job id of a frame: unique per (camera, seq); BullMQ forbids ':' and plain integers in custom ids. */
export function frameJobId(cameraId: string, seq: number): string {
  return `f_${cameraId.replaceAll(':', '%3A')}_${seq}`;
}

/** BullMQ job id of a source's end marker: unique per (camera, seq) like a frame's, never taken for one. */
export function sourceEndJobId(cameraId: string, seq: number): string {
  return `e_${cameraId.replaceAll(':', '%3A')}_${seq}`;
}

export function toFrameJobData(frame: Frame, enqueuedAtMs: number): FrameJobData {
  return {
    cameraId: frame.cameraId,
    seq: frame.seq,
    capturedAtMs: frame.capturedAtMs,
    widthPx: frame.widthPx,
    heightPx: frame.heightPx,
    enqueuedAtMs,
    jpegBytes: frame.jpeg.length,
    ...(frame.motion ? { motion: frame.motion } : {}),
  };
}
