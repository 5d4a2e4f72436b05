// The pipeline's minute rows as the store's rows, and the bounded set of rows waiting for PostgreSQL:
// a row for a key replaces the older one waiting (rows are totals), so a long outage holds one row per key.
import type { MinuteCountRow } from '../analytics/minuteCounts.ts';
import type { PipelineRows } from '../analytics/cameraPipeline.ts';
import type { ZoneMinuteRow } from '../analytics/zoneMinuteStats.ts';
import type { MinuteCount, MinuteZoneStat } from '../store/trafficCounts.ts';

export function toMinuteCount(cameraId: string, row: MinuteCountRow): MinuteCount {
  return {
    minute: new Date(row.minuteStartMs),
    cameraId,
    lineId: row.lineId,
    direction: row.direction,
    className: row.className,
    count: row.count,
    speedSumKmh: row.speedSumKmh,
    speedSamples: row.speedSamples,
  };
}

export function toZoneStat(cameraId: string, row: ZoneMinuteRow): MinuteZoneStat {
  return {
    minute: new Date(row.minuteStartMs),
    cameraId,
    zoneId: row.zoneId,
    className: row.className,
    occupancySum: row.occupancySum,
    occupancyMax: row.occupancyMax,
    samples: row.samples,
    densitySum: row.densitySum,
  };
}

export class PendingRows {
  private readonly counts = new Map<string, MinuteCount>();
  private readonly zones = new Map<string, MinuteZoneStat>();

  constructor(
    private readonly cameraId: string,
    /** Minutes starting before this are not written (see CameraCheckpoint.writeFromMs). */
    private readonly writeFromMs: number,
  ) {}

  get size(): number {
    return this.counts.size + this.zones.size;
  }

  add(rows: PipelineRows): void {
    for (const row of rows.counts) {
      if (row.minuteStartMs < this.writeFromMs) continue;
      this.counts.set(
        `${row.minuteStartMs}\u0000${row.lineId}\u0000${row.direction}\u0000${row.className}`,
        toMinuteCount(this.cameraId, row),
      );
    }
    for (const row of rows.zones) {
      if (row.minuteStartMs < this.writeFromMs) continue;
      this.zones.set(`${row.minuteStartMs}\u0000${row.zoneId}\u0000${row.className}`, toZoneStat(this.cameraId, row));
    }
  }

  /** What waits, in insertion order. */
  rows(): { counts: MinuteCount[]; zones: MinuteZoneStat[] } {
    return { counts: [...this.counts.values()], zones: [...this.zones.values()] };
  }

  clear(): void {
    this.counts.clear();
    this.zones.clear();
  }
}
