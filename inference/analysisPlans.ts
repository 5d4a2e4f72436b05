// Per-camera analysis regions (crops, tiles) kept in Redis so any worker on any machine uses the
// camera's current plan; whoever edits lines and zones writes it, workers re-read it every few seconds.
import type { Redis } from 'ioredis';
import type { Logger } from '../core/logger.ts';
import { parseAnalysisPlan, WHOLE_FRAME_PLAN, type AnalysisPlan } from './regions.ts';
import { ValidationError } from '../core/errors.ts';
import { redisKeys } from '../core/redis.ts';

/** Stores (or with null, clears) a camera's plan after checking it. */
export async function setAnalysisPlan(redis: Redis, redisPrefix: string, cameraId: string, plan: AnalysisPlan | null): Promise<void> {
  if (plan === null) {
    await redis.hdel(redisKeys.analysisPlans(redisPrefix), cameraId);
    return;
  }
  const checked = parseAnalysisPlan(plan);
  if (typeof checked === 'string') throw new ValidationError(`analysis plan of camera ${cameraId}: ${checked}`, { field: 'plan' });
  await redis.hset(redisKeys.analysisPlans(redisPrefix), cameraId, JSON.stringify(checked));
}

/** A worker's view of the plans, refreshed at most every `refreshMs` per camera. */
export class AnalysisPlanCache {
  private readonly entries = new Map<string, { plan: AnalysisPlan; readAtMs: number }>();

  constructor(
    private readonly redis: Redis,
    private readonly redisPrefix: string,
    private readonly refreshMs: number,
    private readonly logger: Logger,
  ) {}

  async get(cameraId: string, nowMs = Date.now()): Promise<AnalysisPlan> {
    const cached = this.entries.get(cameraId);
    if (cached && nowMs - cached.readAtMs < this.refreshMs) return cached.plan;
    const json = await this.redis.hget(redisKeys.analysisPlans(this.redisPrefix), cameraId);
    let plan = WHOLE_FRAME_PLAN;
    if (json !== null) {
      let parsed: AnalysisPlan | string;
      try {
        parsed = parseAnalysisPlan(JSON.parse(json));
      } catch (err) {
        parsed = (err as Error).message;
      }
      if (typeof parsed === 'string') this.logger.warn({ cameraId, reason: parsed }, 'invalid analysis plan ignored; using the whole frame');
      else plan = parsed;
    }
    this.entries.set(cameraId, { plan, readAtMs: nowMs });
    return plan;
  }
}
