// Per-camera analysis regions (crops, tiles) kept in Redis so any worker on any machine uses the
// camera's current plan; its analyzer writes it (analyzer/analysisPlanWriter.ts), workers re-read it every few seconds.
import type { Redis } from 'ioredis';
import type { Logger } from '../core/logger.ts';
import { parseAnalysisPlan, WHOLE_FRAME_PLAN, type AnalysisPlan } from '../core/analysisPlan.ts';
import { redisKeys } from '../core/redis.ts';

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
      if (typeof parsed === 'string')
        this.logger.warn({ cameraId, reason: parsed }, 'invalid analysis plan ignored; using the whole frame');
      else plan = parsed;
    }
    this.entries.set(cameraId, { plan, readAtMs: nowMs });
    return plan;
  }
}
