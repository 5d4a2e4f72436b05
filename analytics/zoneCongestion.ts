// Congestion of a zone over a time bucket, from its stored occupancy per class and the capacity the
// operator set: vehicles in the zone (people left out) and the level of congestion.ts from them.
import { TRAFFIC_CLASSES, type TrafficClass } from '../core/detections.ts';
import { congestionLevel, type CongestionLevel, type CongestionThresholds } from './congestion.ts';

/** Classes that take road space; people on foot do not fill a junction (a motorbike's rider is not counted twice). */
export const VEHICLE_CLASSES: readonly TrafficClass[] = TRAFFIC_CLASSES.filter((c) => c !== 'person');

/** One class's occupancy of one zone over one bucket, as the zone statistics store it. */
export interface ZoneClassOccupancy {
  className: string;
  /** Mean number of objects of this class in the zone over the bucket's samples. */
  occupancyAvg: number;
  /** Most objects of this class seen in the zone at once during the bucket. */
  occupancyMax: number;
}

export interface ZoneCongestion {
  /** Mean vehicles in the zone over the bucket (sum of the vehicle classes' means), 2 decimals. */
  vehiclesAvg: number;
  /**
   * Sum of the vehicle classes' peaks: the stats keep each class's peak, not the moment they peaked, so this
   * is an upper bound of the most vehicles seen at once (exact when one class dominates, as motorbikes do).
   */
  vehiclesMax: number;
  /** From the mean, not the peak: one bunched-up green phase in an hour is not an hour of congestion. */
  level: CongestionLevel;
}

/**
 * Congestion of one zone in one bucket. Zone stats carry no speed, so the level is occupancy's alone
 * (congestionLevel without speed). Throws a ValidationError when capacityVehicles is not positive.
 */
export function zoneCongestion(
  rows: readonly ZoneClassOccupancy[],
  capacityVehicles: number,
  thresholds: CongestionThresholds = {},
): ZoneCongestion {
  let vehiclesAvg = 0;
  let vehiclesMax = 0;
  for (const row of rows) {
    if (!(VEHICLE_CLASSES as readonly string[]).includes(row.className)) continue;
    vehiclesAvg += row.occupancyAvg;
    vehiclesMax += row.occupancyMax;
  }
  vehiclesAvg = Math.round(vehiclesAvg * 100) / 100;
  return {
    vehiclesAvg,
    vehiclesMax,
    level: congestionLevel({ vehicles: vehiclesAvg, capacityVehicles, meanSpeedKmh: null }, thresholds),
  };
}

/** One zone-stat row of any zone and bucket (the store's ZoneStatRow fits). */
export interface ZoneOccupancyRow extends ZoneClassOccupancy {
  bucket: Date;
  cameraId: string;
  zoneId: string;
}

/** A zone the operator gave a capacity. */
export interface ZoneCapacity {
  cameraId: string;
  zoneId: string;
  zoneName: string;
  capacityVehicles: number;
}

export interface ZoneCongestionRow extends ZoneCongestion {
  bucket: Date;
  cameraId: string;
  zoneId: string;
  zoneName: string;
  capacityVehicles: number;
}

/**
 * Groups rows of many zones and buckets into one congestion row per bucket × camera × zone, in the rows'
 * order. Rows of zones without a capacity are skipped: a level needs one, and guessing it would mislead.
 */
export function zoneCongestionRows(
  rows: readonly ZoneOccupancyRow[],
  capacities: readonly ZoneCapacity[],
  thresholds: CongestionThresholds = {},
): ZoneCongestionRow[] {
  const capacityOf = new Map(capacities.map((c) => [zoneKey(c.cameraId, c.zoneId), c]));
  const groups = new Map<string, { bucket: Date; zone: ZoneCapacity; rows: ZoneOccupancyRow[] }>();
  for (const row of rows) {
    const zone = capacityOf.get(zoneKey(row.cameraId, row.zoneId));
    if (!zone) continue;
    const key = `${row.bucket.getTime()}\u0000${zoneKey(row.cameraId, row.zoneId)}`;
    const group = groups.get(key) ?? { bucket: row.bucket, zone, rows: [] };
    group.rows.push(row);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ bucket, zone, rows: zoneRows }) => ({
    bucket,
    cameraId: zone.cameraId,
    zoneId: zone.zoneId,
    zoneName: zone.zoneName,
    capacityVehicles: zone.capacityVehicles,
    ...zoneCongestion(zoneRows, zone.capacityVehicles, thresholds),
  }));
}

const zoneKey = (cameraId: string, zoneId: string) => `${cameraId}\u0000${zoneId}`;
