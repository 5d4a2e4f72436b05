// Hours of congestion per zone over a report's period, from the hourly congestion rows /api/congestion
// answers (bucket=1h): an hour counts when its level reaches the congestion rule's default minLevel (3, heavy).
import { localHour } from '../core/reportPeriod.ts';
import type { ZoneCongestionRow } from './zoneCongestion.ts';

/** The congestion rule's default minLevel (core/alerts.ts CongestionRule): the same line between "busy" and "congested". */
export const CONGESTED_LEVEL = 3;
/** Level 4, jammed. */
export const JAMMED_LEVEL = 4;

export interface ZoneCongestionHours {
  cameraId: string;
  zoneId: string;
  zoneName: string;
  capacityVehicles: number;
  /** Hours with zone statistics (the camera sampled the zone). */
  hoursMeasured: number;
  /** Hours at level ≥ CONGESTED_LEVEL. */
  congestedHours: number;
  /** Of those, hours at level 4. */
  jammedHours: number;
  /** Local hour of day (Asia/Ho_Chi_Minh) 0..23 → congested hours that started at it over the period. */
  byLocalHour: number[];
}

/**
 * One summary per zone of hourly rows (buckets must be whole hours), zones in the rows' first-seen order.
 * A zone with rows but no congested hour is kept: "measured, never congested" is a finding too.
 */
export function congestionHoursByZone(hourlyRows: readonly ZoneCongestionRow[]): ZoneCongestionHours[] {
  const zones = new Map<string, ZoneCongestionHours>();
  for (const row of hourlyRows) {
    const key = `${row.cameraId}\u0000${row.zoneId}`;
    let zone = zones.get(key);
    if (!zone) {
      zone = {
        cameraId: row.cameraId,
        zoneId: row.zoneId,
        zoneName: row.zoneName,
        capacityVehicles: row.capacityVehicles,
        hoursMeasured: 0,
        congestedHours: 0,
        jammedHours: 0,
        byLocalHour: new Array<number>(24).fill(0),
      };
      zones.set(key, zone);
    }
    zone.hoursMeasured += 1;
    if (row.level < CONGESTED_LEVEL) continue;
    zone.congestedHours += 1;
    if (row.level >= JAMMED_LEVEL) zone.jammedHours += 1;
    zone.byLocalHour[localHour(row.bucket.getTime())]! += 1;
  }
  return [...zones.values()];
}
