// Redis connections for inference/: one factory so every client is named and fails the same way,
// with BullMQ's requirement (no per-request retry limit) on the connections it blocks on.
import { Redis } from 'ioredis';
import type { Config } from '../core/config.ts';

export function createRedis(config: Pick<Config, 'redis'>, connectionName: string): Redis {
  return new Redis(config.redis.url, { maxRetriesPerRequest: null, connectionName, enableReadyCheck: true });
}

/** Quits a connection, falling back to disconnect when it is already broken; never throws. */
export async function quitRedis(redis: Redis): Promise<void> {
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
