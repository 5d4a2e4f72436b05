// Publishing and reading inference results: one Redis stream per camera (core/redis.ts redisKeys.results), so the
// camera's owner (the analyzer) reads only its cameras, in arrival order, and re-orders by seq. The analysed
// JPEG, stored once by the frame sink (core/redis.ts redisKeys.frame), can be kept a while longer for alert
// snapshots. A seq that will never have a result gets a `skip` entry instead, so the analyzer does not wait for it.
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

/**
 * Appends the result to its camera's stream. With `frameRetentionMs` (alerts.frameRetentionMs), the frame's JPEG,
 * already in Redis under redisKeys.frame (the frame sink stored it), is kept that long from now, or deleted at 0,
 * in the same MULTI: a reader that sees the result finds the frame, and the JPEG is never written twice.
 */
export async function publishResult(
  redis: Redis,
  redisPrefix: string,
  maxLen: number,
  result: InferenceResult,
  frameRetentionMs?: number,
): Promise<string> {
  const streamKey = redisKeys.results(redisPrefix, result.cameraId);
  const json = JSON.stringify(result);
  if (frameRetentionMs === undefined) {
    return (await redis.xadd(streamKey, 'MAXLEN', '~', maxLen, '*', RESULT_FIELD, json))!;
  }
  const frameKey = redisKeys.frame(redisPrefix, result.cameraId, result.seq);
  const transaction = redis.multi();
  if (frameRetentionMs > 0) transaction.pexpire(frameKey, frameRetentionMs);
  else transaction.del(frameKey);
  const replies = await transaction.xadd(streamKey, 'MAXLEN', '~', maxLen, '*', RESULT_FIELD, json).exec();
  // exec() answers null only when a WATCHed key changed; nothing is watched here.
  if (!replies) throw new Error('result transaction was aborted');
  for (const [err] of replies) if (err) throw err;
  return replies[1]![1] as string;
}

/**
 * A frame whose JPEG was gone (expired after queue.frameWaitMaxMs) before a worker took it: counted with the frames
 * dropped by backpressure and marked skipped (reason 'dropped') in one MULTI, exactly as the sink drops a frame.
 */
export async function publishDropped(
  redis: Redis,
  redisPrefix: string,
  maxLen: number,
  frame: { cameraId: string; seq: number },
): Promise<void> {
  const json = JSON.stringify({ cameraId: frame.cameraId, seq: frame.seq, reason: 'dropped' });
  const replies = await redis
    .multi()
    .hincrby(redisKeys.droppedFrames(redisPrefix), frame.cameraId, 1)
    .xadd(redisKeys.results(redisPrefix, frame.cameraId), 'MAXLEN', '~', maxLen, '*', SKIP_FIELD, json)
    .exec();
  if (!replies) throw new Error('drop transaction was aborted');
  for (const [err] of replies) if (err) throw err;
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
