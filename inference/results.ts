// Publishing and reading inference results: one Redis stream per camera (core/redis.ts redisKeys.results), so the
// camera's owner (the analyzer) reads only its cameras, in arrival order, and re-orders by seq. The analysed
// JPEG can be kept beside its result for a short while (core/redis.ts redisKeys.frame) for alert snapshots.
// A seq that will never have a result gets a `skip` entry instead, so the analyzer does not wait for it.
import type { Redis } from 'ioredis';
import {
  END_FIELD,
  RESULT_FIELD,
  SKIP_FIELD,
  type InferenceResult,
  type SkippedFrame,
  type SourceEnd,
} from '../core/inferenceResult.ts';
import { redisKeys } from '../core/redis.ts';

/** An analysed frame's JPEG to keep beside its result, so an alert's snapshot can show that very frame. */
export interface RecentFrame {
  jpeg: Buffer;
  /** PX of the key (alerts.frameRetentionMs); 0 keeps nothing. */
  retentionMs: number;
}

/**
 * Appends the result to its camera's stream. With `frame`, its JPEG is written first in the same MULTI,
 * so a reader that sees the result finds the frame (one round trip for both).
 */
export async function publishResult(
  redis: Redis,
  redisPrefix: string,
  maxLen: number,
  result: InferenceResult,
  frame?: RecentFrame,
): Promise<string> {
  const streamKey = redisKeys.results(redisPrefix, result.cameraId);
  const json = JSON.stringify(result);
  if (!frame || frame.retentionMs <= 0) {
    return (await redis.xadd(streamKey, 'MAXLEN', '~', maxLen, '*', RESULT_FIELD, json))!;
  }
  const replies = await redis
    .multi()
    .set(redisKeys.frame(redisPrefix, result.cameraId, result.seq), frame.jpeg, 'PX', frame.retentionMs)
    .xadd(streamKey, 'MAXLEN', '~', maxLen, '*', RESULT_FIELD, json)
    .exec();
  // exec() answers null only when a WATCHed key changed; nothing is watched here.
  if (!replies) throw new Error('result transaction was aborted');
  for (const [err] of replies) if (err) throw err;
  return replies[1]![1] as string;
}

/** Appends a skip entry: `skipped.seq` will never have a result (same stream and MAXLEN trimming as results). */
export async function publishSkip(
  redis: Redis,
  redisPrefix: string,
  maxLen: number,
  skipped: SkippedFrame,
): Promise<string> {
  const json = JSON.stringify({ cameraId: skipped.cameraId, seq: skipped.seq, reason: skipped.reason });
  return (await redis.xadd(
    redisKeys.results(redisPrefix, skipped.cameraId),
    'MAXLEN',
    '~',
    maxLen,
    '*',
    SKIP_FIELD,
    json,
  ))!;
}

/** Appends an end entry: the camera's source ended after the frame before `end.seq` (same stream and trimming). */
export async function publishSourceEnd(
  redis: Redis,
  redisPrefix: string,
  maxLen: number,
  end: SourceEnd,
): Promise<string> {
  const json = JSON.stringify({ cameraId: end.cameraId, seq: end.seq, capturedAtMs: end.capturedAtMs });
  return (await redis.xadd(redisKeys.results(redisPrefix, end.cameraId), 'MAXLEN', '~', maxLen, '*', END_FIELD, json))!;
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

/** Results of one camera after `afterId`, oldest first (skip entries left out). Use a dedicated connection when blocking. */
export async function readResults(
  redis: Redis,
  redisPrefix: string,
  cameraId: string,
  options: ReadResultsOptions = {},
): Promise<ResultEntry[]> {
  const key = redisKeys.results(redisPrefix, cameraId);
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
      const at = fields.indexOf(RESULT_FIELD);
      const json = at >= 0 ? fields[at + 1] : undefined;
      if (json) entries.push({ id, result: JSON.parse(json) as InferenceResult });
    }
  }
  return entries;
}
