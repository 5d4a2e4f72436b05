// What a camera's analyzer reports about its analysis, beside the counts: scene cuts and recent activity,
// kept in Redis hashes (core/redis.ts redisKeys.sceneCuts, analysisActivity) for /metrics and camera health.

/** Scene cuts of one camera since its analysis state began (analytics/sceneCut.ts names the reasons). */
export interface SceneCutTotals {
  byReason: Record<string, number>;
  lastAtMs: number | null;
  lastReason: string | null;
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
