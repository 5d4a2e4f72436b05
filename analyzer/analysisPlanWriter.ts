// Writes a camera's analysis plan where every worker reads it (inference/analysisPlans.ts AnalysisPlanCache):
// the camera's analyzer does, whenever the camera's lines, zones or input size give a new plan.
import type { Redis } from 'ioredis';
import { parseAnalysisPlan, type AnalysisPlan } from '../core/analysisPlan.ts';
import { ValidationError } from '../core/errors.ts';
import { redisKeys } from '../core/redis.ts';

/** Stores (or with null, clears) a camera's plan after checking it. */
export async function setAnalysisPlan(
  redis: Redis,
  redisPrefix: string,
  cameraId: string,
  plan: AnalysisPlan | null,
): Promise<void> {
  if (plan === null) {
    await redis.hdel(redisKeys.analysisPlans(redisPrefix), cameraId);
    return;
  }
  const checked = parseAnalysisPlan(plan);
  if (typeof checked === 'string')
    throw new ValidationError(`analysis plan of camera ${cameraId}: ${checked}`, { field: 'plan' });
  await redis.hset(redisKeys.analysisPlans(redisPrefix), cameraId, JSON.stringify(checked));
}
