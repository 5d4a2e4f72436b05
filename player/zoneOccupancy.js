// Zone occupancy for the traffic panel: the API answers one row per bucket, zone and class, so the objects
// in a zone at a time are the SUM of its class rows; the zone's figure is the mean of those sums over buckets.

/**
 * @param {{ bucket: string, cameraId: string, zoneId: string, occupancyAvg: number }[]} rows
 * @returns {{ cameraId: string, zoneId: string, occupancy: number }[]} in first-seen order
 */
export function occupancyPerZone(rows) {
  const zones = new Map();
  for (const row of rows) {
    const key = `${row.cameraId}\u0000${row.zoneId}`;
    const zone = zones.get(key) ?? { cameraId: row.cameraId, zoneId: row.zoneId, perBucket: new Map() };
    zone.perBucket.set(row.bucket, (zone.perBucket.get(row.bucket) ?? 0) + row.occupancyAvg);
    zones.set(key, zone);
  }
  return [...zones.values()].map(({ cameraId, zoneId, perBucket }) => ({
    cameraId,
    zoneId,
    occupancy: [...perBucket.values()].reduce((sum, n) => sum + n, 0) / perBucket.size,
  }));
}
