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
