// Publishing and reading inference results: one Redis stream per camera (core/inferenceResult.ts), so the
// camera's owner (the analyzer) reads only its cameras, in arrival order, and re-orders by seq.
import type { Redis } from 'ioredis';
import { resultsStreamKey, type InferenceResult } from '../core/inferenceResult.ts';

export async function publishResult(redis: Redis, redisPrefix: string, maxLen: number, result: InferenceResult): Promise<string> {
  const id = await redis.xadd(
    resultsStreamKey(redisPrefix, result.cameraId),
    'MAXLEN',
    '~',
    maxLen,
    '*',
    'result',
    JSON.stringify(result),
  );
  return id!;
}

export interface ResultEntry {
  /** Stream id, to resume reading after it. */
  id: string;
  result: InferenceResult;
}

export interface ReadResultsOptions {
  /** Read entries after this stream id; '0' for the beginning. */
  afterId?: string;
  count?: number;
  /** Block up to this long for new entries (XREAD BLOCK); do not block when absent. */
  blockMs?: number;
}

/** Results of one camera after `afterId`, oldest first. Use a dedicated connection when blocking. */
export async function readResults(
  redis: Redis,
  redisPrefix: string,
  cameraId: string,
  options: ReadResultsOptions = {},
): Promise<ResultEntry[]> {
  const key = resultsStreamKey(redisPrefix, cameraId);
  const count = options.count ?? 500;
  const afterId = options.afterId ?? '0';
  const reply =
    options.blockMs === undefined
      ? await redis.xread('COUNT', count, 'STREAMS', key, afterId)
      : await redis.xread('COUNT', count, 'BLOCK', options.blockMs, 'STREAMS', key, afterId);
  if (!reply) return [];
  const entries: ResultEntry[] = [];
  for (const [, items] of reply as Array<[string, Array<[string, string[]]>]>) {
    for (const [id, fields] of items) {
      const json = fields[fields.indexOf('result') + 1];
      if (json) entries.push({ id, result: JSON.parse(json) as InferenceResult });
    }
  }
  return entries;
}
