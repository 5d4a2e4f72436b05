// Reads a camera's results stream for the analyzer: results, skip entries (seqs that will never have one), and
// end entries (the source ended: a marker with its own seq, core/inferenceResult.ts SourceEnd).
// Unlike a plain reader it never throws on an entry it cannot parse: a poison entry would otherwise stop its camera forever.
import type { Redis } from 'ioredis';
import {
  END_FIELD,
  inferenceResultCheck,
  RESULT_FIELD,
  SKIP_FIELD,
  sourceEndCheck,
  type InferenceResult,
  type SourceEnd,
} from '../core/inferenceResult.ts';
import { redisKeys } from '../core/redis.ts';

/** One usable stream entry: a result, the seq of a frame dropped or rejected (never to have a result), or a source's end. */
export type StreamEntry =
  { id: string; result: InferenceResult } | { id: string; skippedSeq: number } | { id: string; sourceEnd: SourceEnd };

export interface StreamBatch {
  /** Parsed results and skips with their stream ids, oldest first. */
  entries: StreamEntry[];
  /** Id of the last entry read, parsable or not; null when nothing was read. */
  lastId: string | null;
  /** Entries left out because no `result` (an InferenceResult), `skip` (a seq) nor `end` could be read. */
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
      const sourceEnd = result || skippedSeq !== null ? null : parseSourceEnd(fieldOf(fields, END_FIELD));
      if (result) batch.entries.push({ id, result });
      else if (skippedSeq !== null) batch.entries.push({ id, skippedSeq });
      else if (sourceEnd) batch.entries.push({ id, sourceEnd });
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

/** An end entry that fits core/inferenceResult.ts's SourceEnd schema, else null. */
function parseSourceEnd(json: string | undefined): SourceEnd | null {
  const value = parseJson(json);
  return sourceEndCheck.Check(value) ? value : null;
}

/** The seq of a skip entry ({cameraId, seq, reason}); only the seq matters to the re-order buffer. */
function parseSkippedSeq(json: string | undefined): number | null {
  const value = parseJson(json) as { seq?: unknown } | null;
  return value && typeof value === 'object' && Number.isSafeInteger(value.seq) ? (value.seq as number) : null;
}
