// The watchdog's judgement on one ffmpeg run, from when it last produced a frame and an HLS segment.
// Pure (time is an argument), so the two stall cases are pinned by unit tests.

export type StallVerdict = 'progressing' | 'stalled' | 'hls-stalled';

export interface RunProgress {
  nowMs: number;
  startedAtMs: number;
  lastFrameAtMs: number | null;
  lastSegmentAtMs: number | null;
  stallTimeoutMs: number;
  /**
   * How long the HLS output may go without a segment while frames come: at least stallTimeoutMs, longer for
   * a camera whose key frames are far apart (a copied segment can only end on one). Default stallTimeoutMs.
   */
  hlsStallTimeoutMs?: number;
}

/**
 * stalled: neither a frame nor a segment for stallTimeoutMs (a hung source or a hung ffmpeg).
 * hls-stalled: no segment for stallTimeoutMs while frames kept coming for a whole stall period after the
 * last segment — the HLS path is stuck and decoding is not. A hung source stops both outputs within about
 * a segment of each other, so it is never mistaken for an HLS failure (which would force a transcode).
 */
export function judgeRunProgress(progress: RunProgress): StallVerdict {
  const { nowMs, startedAtMs, lastFrameAtMs, lastSegmentAtMs, stallTimeoutMs } = progress;
  const hlsStallMs = Math.max(stallTimeoutMs, progress.hlsStallTimeoutMs ?? 0);
  const lastProgressMs = Math.max(startedAtMs, lastFrameAtMs ?? 0, lastSegmentAtMs ?? 0);
  if (nowMs - lastProgressMs > stallTimeoutMs) return 'stalled';
  const hlsSinceMs = Math.max(startedAtMs, lastSegmentAtMs ?? 0);
  const decodeOutlivedHlsMs = (lastFrameAtMs ?? 0) - hlsSinceMs;
  if (nowMs - hlsSinceMs > hlsStallMs && decodeOutlivedHlsMs >= hlsStallMs) return 'hls-stalled';
  return 'progressing';
}
