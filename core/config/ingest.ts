// Settings of `ingest` (one section of core/config.ts's schema).

import Type from 'typebox';
import { strict } from './strict.ts';

export const IngestConfigSchema = Type.Object(
  {
    /** Width of analysis frames (a narrower source keeps its own); height follows the aspect ratio. */
    frameWidthPx: Type.Integer({ minimum: 160, maximum: 3840, default: 960 }),
    /** ffmpeg's mjpeg -q:v, 2 (best) … 31. */
    jpegQuality: Type.Integer({ minimum: 2, maximum: 31, default: 4 }),
    /** Socket timeout for RTSP/RTMP reads. */
    sourceTimeoutMs: Type.Integer({ minimum: 1000, maximum: 120000, default: 10000 }),
    /** No progress from ffmpeg (no frame, no segment) for this long means the output stalled. */
    stallTimeoutMs: Type.Integer({ minimum: 2000, maximum: 120000, default: 8000 }),
    backoffInitialMs: Type.Integer({ minimum: 100, maximum: 60000, default: 1000 }),
    backoffMaxMs: Type.Integer({ minimum: 1000, maximum: 600000, default: 30000 }),
    /** How often health is written to the store while live. */
    healthIntervalMs: Type.Integer({ minimum: 500, maximum: 600000, default: 5000 }),
    /** How often ingest re-reads the camera table to start/stop supervisors. */
    reconcileIntervalMs: Type.Integer({ minimum: 200, maximum: 600000, default: 2000 }),
    /** A run that stayed live this long resets the reconnect backoff to backoffInitialMs. */
    stablePeriodMs: Type.Integer({ minimum: 1000, maximum: 600000, default: 30000 }),
    /** stop(): SIGTERM first, SIGKILL if ffmpeg has not exited after this grace. */
    stopGraceMs: Type.Integer({ minimum: 100, maximum: 30000, default: 3000 }),
    /** Consecutive HLS copy failures (stall or mux error while frames still decode) before re-encoding. */
    copyFailuresBeforeTranscode: Type.Integer({ minimum: 1, maximum: 10, default: 2 }),
    /** A JPEG larger than this on ffmpeg's stdout is dropped (bounds the frame splitter's buffer). */
    maxFrameBytes: Type.Integer({ minimum: 65536, maximum: 67108864, default: 8388608 }),
  },
  { ...strict, default: {} },
);
