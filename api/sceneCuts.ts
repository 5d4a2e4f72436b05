// Reads the scene-cut totals the analyzers publish (analyzer/sceneCutReport.ts) for /metrics and camera health.
import type { Redis } from 'ioredis';
import type { SceneCutTotals } from '../core/analysisStatus.ts';
import { redisKeys } from '../core/redis.ts';

/** Every camera's published totals (cameras that never reported are absent). */
export async function readSceneCuts(redis: Redis, redisPrefix: string): Promise<Map<string, SceneCutTotals>> {
  const raw = await redis.hgetall(redisKeys.sceneCuts(redisPrefix));
  const totals = new Map<string, SceneCutTotals>();
  for (const [cameraId, json] of Object.entries(raw)) {
    try {
      totals.set(cameraId, JSON.parse(json) as SceneCutTotals);
    } catch {
      // A field this code cannot read is skipped, not a failed scrape.
    }
  }
  return totals;
}
