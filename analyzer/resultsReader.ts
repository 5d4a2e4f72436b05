// Reads a camera's results stream for the analyzer. Unlike a plain reader it never throws on an entry it
// cannot parse: a single poison entry would otherwise stop its camera forever, replayed on every retry.
import type { Redis } from 'ioredis';
import { resultsStreamKey, type InferenceResult } from '../core/inferenceResult.ts';

export interface StreamBatch {
  /** Parsed results with their stream ids, oldest first. */
  entries: Array<{ id: string; result: InferenceResult }>;
  /** Id of the last entry read, parsable or not; null when nothing was read. */
  lastId: string | null;
  /** Entries skipped because their `result` field was missing or not an InferenceResult. */
  malformed: number;
}

export async function readResultBatch(redis: Redis, redisPrefix: string, cameraId: string, afterId: string, count: number, blockMs: number): Promise<StreamBatch> {
  const reply = (await redis.xread('COUNT', count, 'BLOCK', blockMs, 'STREAMS', resultsStreamKey(redisPrefix, cameraId), afterId)) as
    | Array<[string, Array<[string, string[]]>]>
    | null;
  const batch: StreamBatch = { entries: [], lastId: null, malformed: 0 };
  for (const [, items] of reply ?? []) {
    for (const [id, fields] of items) {
      batch.lastId = id;
      const result = parseResult(fields[fields.indexOf('result') + 1]);
      if (result) batch.entries.push({ id, result });
      else batch.malformed += 1;
    }
  }
  return batch;
}

function parseResult(json: string | undefined): InferenceResult | null {
  if (json === undefined) return null;
  let value: Partial<InferenceResult>;
  try {
    value = JSON.parse(json) as Partial<InferenceResult>;
  } catch {
    return null;
  }
  const finite = (n: unknown) => typeof n === 'number' && Number.isFinite(n);
  if (!value || !finite(value.seq) || !finite(value.capturedAtMs) || !(value.frameWidthPx! > 0) || !(value.frameHeightPx! > 0)) return null;
  if (!value.detections || !Array.isArray(value.detections.boxes)) return null;
  return value as InferenceResult;
}
