// Per-minute zone statistics of one camera, keyed by (UTC minute, zone, class): occupancy sum, max and
// sample count, and crowd density sum, so rollups average correctly. Rows carry totals, never increments.
import { TRAFFIC_CLASSES, type TrafficClass, type TrafficClassId } from '../core/detections.ts';
import { MINUTE_MS } from './minuteCounts.ts';

export interface ZoneMinuteRow {
  /** Start of the UTC minute, epoch ms. */
  minuteStartMs: number;
  zoneId: string;
  classId: TrafficClassId;
  className: TrafficClass;
  /** Sum over the minute's samples of the zone's occupancy by this class (mean = occupancySum / samples). */
  occupancySum: number;
  occupancyMax: number;
  /** Frames sampled in this minute (the same for every class of a zone: zeros are samples too). */
  samples: number;
  /** Sum of people per m² over the samples, on the person row of a zone with a calibrated area; else null. */
  densitySum: number | null;
}

export interface ZoneSample {
  zoneId: string;
  timestampMs: number;
  /** Occupancy indexed like TRAFFIC_CLASSES. */
  occupancyByClassId: readonly number[];
  /** People per m² at this sample, null when the zone has no calibrated area. */
  densityPerM2: number | null;
}

export interface ZoneMinuteStatsOptions {
  /** Flushed minutes are remembered this long, so a late sample re-emits the full minute. Default 10 min. */
  retainFlushedMs?: number;
}

interface ZoneMinute {
  minuteStartMs: number;
  zoneId: string;
  samples: number;
  occupancySum: number[];
  occupancyMax: number[];
  densitySum: number | null;
  dirty: boolean;
}

const PERSON = TRAFFIC_CLASSES.indexOf('person');

/**
 * Every class gets a row for every sampled minute of a zone, zero included: an empty zone is a
 * measurement, and the API must tell it from a minute nobody looked at (no row at all).
 */
export class ZoneMinuteStats {
  private readonly retainFlushedMs: number;
  private readonly minutes = new Map<string, ZoneMinute>();
  private horizonMs = -Infinity;
  /** Samples too late to merge into a remembered minute. */
  lateDropped = 0;

  constructor(options: ZoneMinuteStatsOptions = {}) {
    this.retainFlushedMs = options.retainFlushedMs ?? 10 * MINUTE_MS;
  }

  add(sample: ZoneSample): void {
    const minuteStartMs = Math.floor(sample.timestampMs / MINUTE_MS) * MINUTE_MS;
    if (minuteStartMs < this.horizonMs) {
      this.lateDropped += 1;
      return;
    }
    const key = `${minuteStartMs}\u0000${sample.zoneId}`;
    let minute = this.minutes.get(key);
    if (!minute) {
      minute = {
        minuteStartMs,
        zoneId: sample.zoneId,
        samples: 0,
        occupancySum: new Array<number>(TRAFFIC_CLASSES.length).fill(0),
        occupancyMax: new Array<number>(TRAFFIC_CLASSES.length).fill(0),
        densitySum: null,
        dirty: true,
      };
      this.minutes.set(key, minute);
    }
    minute.samples += 1;
    for (let classId = 0; classId < TRAFFIC_CLASSES.length; classId++) {
      const occupancy = sample.occupancyByClassId[classId] ?? 0;
      minute.occupancySum[classId] = minute.occupancySum[classId]! + occupancy;
      minute.occupancyMax[classId] = Math.max(minute.occupancyMax[classId]!, occupancy);
    }
    if (sample.densityPerM2 !== null && Number.isFinite(sample.densityPerM2)) {
      minute.densitySum = (minute.densitySum ?? 0) + sample.densityPerM2;
    }
    minute.dirty = true;
  }

  /**
   * Rows of minutes that ended at or before watermarkMs and changed since the last flush, ordered by
   * minute, zone, class. Forgets flushed minutes older than the retention.
   */
  flushClosed(watermarkMs: number): ZoneMinuteRow[] {
    const rows: ZoneMinuteRow[] = [];
    for (const minute of this.minutes.values()) {
      if (!minute.dirty || minute.minuteStartMs + MINUTE_MS > watermarkMs) continue;
      minute.dirty = false;
      for (let classId = 0; classId < TRAFFIC_CLASSES.length; classId++) {
        rows.push({
          minuteStartMs: minute.minuteStartMs,
          zoneId: minute.zoneId,
          classId,
          className: TRAFFIC_CLASSES[classId]!,
          occupancySum: minute.occupancySum[classId]!,
          occupancyMax: minute.occupancyMax[classId]!,
          samples: minute.samples,
          densitySum: classId === PERSON ? minute.densitySum : null,
        });
      }
    }
    this.horizonMs = Math.max(this.horizonMs, Math.floor((watermarkMs - this.retainFlushedMs) / MINUTE_MS) * MINUTE_MS);
    for (const [key, minute] of this.minutes) {
      if (!minute.dirty && minute.minuteStartMs < this.horizonMs) this.minutes.delete(key);
    }
    return rows.sort(
      (a, b) =>
        a.minuteStartMs - b.minuteStartMs ||
        (a.zoneId < b.zoneId ? -1 : a.zoneId > b.zoneId ? 1 : 0) ||
        a.classId - b.classId,
    );
  }
}
