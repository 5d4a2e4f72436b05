// Per-minute line counts of one camera, keyed by (UTC minute, line, direction, class), with speed sums.
// The analyzer adds crossings as they happen and flushes closed minutes as idempotent upserts.
import { TRAFFIC_CLASSES, type TrafficClass, type TrafficClassId } from '../core/detections.ts';

export const MINUTE_MS = 60_000;

export interface MinuteCountRow {
  /** Start of the UTC minute, epoch ms (multiple of 60 000). */
  minuteStartMs: number;
  lineId: string;
  direction: string;
  classId: TrafficClassId;
  className: TrafficClass;
  count: number;
  /** Sum of the speeds of the crossings that had one: rows add up over minutes and cameras, means do not. */
  speedSumKmh: number;
  /** How many crossings contributed a speed (the mean is speedSumKmh / speedSamples). */
  speedSamples: number;
}

export interface CountedCrossing {
  lineId: string;
  direction: string;
  classId: TrafficClassId;
  timestampMs: number;
  speedKmh: number | null;
}

export interface MinuteCountsOptions {
  /** A minute closes this long after its end, for frames still in flight. Default 2000 ms. */
  allowedLatenessMs?: number;
  /** Flushed minutes are remembered this long, so a late crossing re-emits the full total. Default 10 min. */
  retainFlushedMs?: number;
}

interface Bucket {
  row: MinuteCountRow;
  dirty: boolean;
}

/**
 * Rows carry totals, never increments, so writing a row twice is harmless (upsert by key). A crossing
 * arriving after its minute was flushed reopens the remembered bucket and the next flush re-emits the
 * whole minute; one older than retainFlushedMs cannot be merged and is counted in lateDropped.
 */
export class MinuteCounts {
  private readonly allowedLatenessMs: number;
  private readonly retainFlushedMs: number;
  private readonly buckets = new Map<string, Bucket>();
  private horizonMs = -Infinity;
  /** Crossings too late to merge into a remembered minute. */
  lateDropped = 0;

  constructor(options: MinuteCountsOptions = {}) {
    this.allowedLatenessMs = options.allowedLatenessMs ?? 2000;
    this.retainFlushedMs = options.retainFlushedMs ?? 10 * MINUTE_MS;
  }

  add(crossing: CountedCrossing): void {
    const minuteStartMs = Math.floor(crossing.timestampMs / MINUTE_MS) * MINUTE_MS;
    if (minuteStartMs < this.horizonMs) {
      this.lateDropped += 1;
      return;
    }
    const key = `${minuteStartMs}\u0000${crossing.lineId}\u0000${crossing.direction}\u0000${crossing.classId}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = {
        row: {
          minuteStartMs,
          lineId: crossing.lineId,
          direction: crossing.direction,
          classId: crossing.classId,
          className: TRAFFIC_CLASSES[crossing.classId]!,
          count: 0,
          speedSumKmh: 0,
          speedSamples: 0,
        },
        dirty: true,
      };
      this.buckets.set(key, bucket);
    }
    bucket.row.count += 1;
    if (crossing.speedKmh !== null && Number.isFinite(crossing.speedKmh)) {
      bucket.row.speedSumKmh += crossing.speedKmh;
      bucket.row.speedSamples += 1;
    }
    bucket.dirty = true;
  }

  /**
   * Rows of minutes closed at nowMs (ended at least allowedLatenessMs ago) that changed since the last
   * flush, ordered by minute, line, direction, class. Forgets minutes older than the retention.
   */
  flushClosed(nowMs: number): MinuteCountRow[] {
    return this.flush((minuteStartMs) => minuteStartMs + MINUTE_MS + this.allowedLatenessMs <= nowMs, nowMs);
  }

  /** Every changed row, open minutes included (on shutdown). */
  flushAll(nowMs: number): MinuteCountRow[] {
    return this.flush(() => true, nowMs);
  }

  private flush(closed: (minuteStartMs: number) => boolean, nowMs: number): MinuteCountRow[] {
    const rows: MinuteCountRow[] = [];
    for (const bucket of this.buckets.values()) {
      if (!bucket.dirty || !closed(bucket.row.minuteStartMs)) continue;
      bucket.dirty = false;
      rows.push({ ...bucket.row });
    }
    this.horizonMs = Math.max(this.horizonMs, Math.floor((nowMs - this.retainFlushedMs) / MINUTE_MS) * MINUTE_MS);
    for (const [key, bucket] of this.buckets) {
      if (!bucket.dirty && bucket.row.minuteStartMs < this.horizonMs) this.buckets.delete(key);
    }
    return rows.sort(
      (a, b) =>
        a.minuteStartMs - b.minuteStartMs ||
        compare(a.lineId, b.lineId) ||
        compare(a.direction, b.direction) ||
        a.classId - b.classId,
    );
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
