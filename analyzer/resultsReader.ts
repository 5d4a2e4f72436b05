// Reads a camera's results stream for the analyzer: results, and skip entries (seqs that will never have one).
// Unlike a plain reader it never throws on an entry it cannot parse: a poison entry would otherwise stop its camera forever.
import type { Redis } from 'ioredis';
import { inferenceResultCheck, RESULT_FIELD, SKIP_FIELD, type InferenceResult } from '../core/inferenceResult.ts';
import { redisKeys } from '../core/redis.ts';

/** One usable stream entry: a result, or the seq of a frame dropped or rejected (never to have a result). */
export type StreamEntry = { id: string; result: InferenceResult } | { id: string; skippedSeq: number };

export interface StreamBatch {
  /** Parsed results and skips with their stream ids, oldest first. */
  entries: StreamEntry[];
  /** Id of the last entry read, parsable or not; null when nothing was read. */
  lastId: string | null;
  /** Entries left out because neither a `result` (an InferenceResult) nor a `skip` (a seq) could be read. */
  malformed: number;
}

export async function readResultBatch(
  redis: Redis,
  redisPrefix: string,
  cameraId: string,
  afterId: string,
  count: number,
  blockMs: number,
): Promise<StreamBatch> {
  const reply = (await redis.xread(
    'COUNT',
    count,
    'BLOCK',
    blockMs,
    'STREAMS',
    redisKeys.results(redisPrefix, cameraId),
    afterId,
  )) as Array<[string, Array<[string, string[]]>]> | null;
  const batch: StreamBatch = { entries: [], lastId: null, malformed: 0 };
  for (const [, items] of reply ?? []) {
    for (const [id, fields] of items) {
      batch.lastId = id;
      const result = parseResult(fieldOf(fields, RESULT_FIELD));
      const skippedSeq = result ? null : parseSkippedSeq(fieldOf(fields, SKIP_FIELD));
      if (result) batch.entries.push({ id, result });
      else if (skippedSeq !== null) batch.entries.push({ id, skippedSeq });
      else batch.malformed += 1;
    }
  }
  return batch;
}

/** The value of a field of a stream entry (fields alternate name, value). */
function fieldOf(fields: string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

function parseJson(json: string | undefined): unknown {
  if (json === undefined) return null;
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return null;
  }
}

/** A result that fits core/inferenceResult.ts's schema (the one the worker's type comes from), else null. */
function parseResult(json: string | undefined): InferenceResult | null {
  const value = parseJson(json);
  return inferenceResultCheck.Check(value) ? value : null;
}

/** The seq of a skip entry ({cameraId, seq, reason}); only the seq matters to the re-order buffer. */
function parseSkippedSeq(json: string | undefined): number | null {
  const value = parseJson(json) as { seq?: unknown } | null;
  return value && typeof value === 'object' && Number.isSafeInteger(value.seq) ? (value.seq as number) : null;
}
