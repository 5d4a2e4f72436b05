// Publishes a camera's scene-cut totals (kept in its pipeline state) where /metrics and the camera's
// health read them: one Redis hash field per camera, written after a checkpoint and only when it changed.
import type { Redis } from 'ioredis';
import type { CameraPipeline } from '../analytics/cameraPipeline.ts';
import type { SceneCutTotals } from '../core/analysisStatus.ts';
import { redisKeys } from '../core/redis.ts';

export class SceneCutReport {
  private lastWritten: string | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly redisPrefix: string,
    private readonly cameraId: string,
  ) {}

  /** Writes the pipeline's totals if they changed since the last write; a failure is retried next time. */
  async publish(pipeline: CameraPipeline): Promise<void> {
    const { byReason, last } = pipeline.sceneCutStats;
    const totals: SceneCutTotals = { byReason, lastAtMs: last?.atMs ?? null, lastReason: last?.reason ?? null };
    const json = JSON.stringify(totals);
    if (json === this.lastWritten) return;
    await this.redis.hset(redisKeys.sceneCuts(this.redisPrefix), this.cameraId, json);
    this.lastWritten = json;
  }
}
