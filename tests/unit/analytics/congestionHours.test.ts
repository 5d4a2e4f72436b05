import { describe, expect, it } from 'vitest';
import { congestionHoursByZone } from '../../../analytics/congestionHours.ts';
import type { ZoneCongestionRow } from '../../../analytics/zoneCongestion.ts';

const local = (iso: string) => new Date(Date.parse(`${iso}+07:00`));
const row = (zoneId: string, at: string, level: ZoneCongestionRow['level']): ZoneCongestionRow => ({
  bucket: local(at),
  cameraId: 'c1',
  zoneId,
  zoneName: zoneId === 'z1' ? 'Giao lộ' : zoneId,
  capacityVehicles: 10,
  vehiclesAvg: level * 2,
  vehiclesMax: level * 3,
  level,
});

describe('congestion hours per zone', () => {
  it('counts hours at level 3 or more, jammed ones apart, by local hour of day', () => {
    const zones = congestionHoursByZone([
      row('z1', '2026-11-23T07:00:00', 3),
      row('z1', '2026-11-23T08:00:00', 2),
      row('z1', '2026-11-24T07:00:00', 4),
      row('z1', '2026-11-24T17:00:00', 3),
      row('z2', '2026-11-23T07:00:00', 1),
    ]);
    expect(zones).toHaveLength(2);
    const [z1, z2] = zones;
    expect(z1).toMatchObject({
      zoneId: 'z1',
      zoneName: 'Giao lộ',
      hoursMeasured: 4,
      congestedHours: 3,
      jammedHours: 1,
    });
    expect(z1!.byLocalHour[7]).toBe(2);
    expect(z1!.byLocalHour[17]).toBe(1);
    expect(z1!.byLocalHour.reduce((a, b) => a + b, 0)).toBe(3);
    // Measured, never congested: kept with zero hours.
    expect(z2).toMatchObject({ zoneId: 'z2', hoursMeasured: 1, congestedHours: 0, jammedHours: 0 });
  });

  it('answers nothing for no rows', () => {
    expect(congestionHoursByZone([])).toEqual([]);
  });
});
