// Names of the Redis keys and pub/sub channels that processes share, in one place so the API,
// ingest and the analyzer never disagree on a spelling. Every name carries the deployment prefix.

export function cameraChangesChannel(prefix: string): string {
  return `${prefix}:cameras:changed`;
}

/**
 * Redis hash: camera id → JSON SceneCutTotals, written by the camera's analyzer after each checkpoint (so
 * the totals never run ahead of what a takeover resumes from). Read by /metrics and camera health.
 */
export function sceneCutsKey(prefix: string): string {
  return `${prefix}:analysis:sceneCuts`;
}

/** Scene cuts of one camera since its analysis state began (analytics/sceneCut.ts names the reasons). */
export interface SceneCutTotals {
  byReason: Record<string, number>;
  lastAtMs: number | null;
  lastReason: string | null;
}

/**
 * Redis hash: camera id → JSON AnalysisActivity, written by the camera's analyzer with its checkpoint. The
 * camera's health reads it to say when a live camera cannot do its job (frames too small, nothing detected).
 */
export function analysisActivityKey(prefix: string): string {
  return `${prefix}:analysis:activity`;
}

/** What a camera's analysis saw lately; times are capture times, UTC epoch milliseconds. */
export interface AnalysisActivity {
  /** Size of the newest analysed frame (the sampled frame the model ran on). */
  frameWidthPx: number;
  frameHeightPx: number;
  /** First frame of the current run of frames (a capture gap of more than a few minutes starts a new run). */
  runStartedAtMs: number;
  /** Newest analysed frame. */
  lastFrameAtMs: number;
  /** Newest frame with at least one detection; null when none was seen by this analyzer. */
  lastDetectionAtMs: number | null;
}
