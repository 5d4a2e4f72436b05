import { describe, expect, it } from 'vitest';
import { TRAFFIC_CLASSES } from '../../../core/detections.ts';
import { ZoneMinuteStats } from '../../../analytics/zoneMinuteStats.ts';

const M0 = Date.UTC(2026, 10, 25, 3, 0);
const occupancy = (byName: Partial<Record<(typeof TRAFFIC_CLASSES)[number], number>>) =>
  TRAFFIC_CLASSES.map((n) => byName[n] ?? 0);

describe('ZoneMinuteStats', () => {
  it('sums occupancy, keeps the max and counts every sample, zeros included, per class', () => {
    const stats = new ZoneMinuteStats();
    stats.add({
      zoneId: 'z',
      timestampMs: M0 + 1000,
      occupancyByClassId: occupancy({ car: 2, person: 1 }),
      densityPerM2: 0.1,
    });
    stats.add({ zoneId: 'z', timestampMs: M0 + 2000, occupancyByClassId: occupancy({ car: 5 }), densityPerM2: 0 });
    stats.add({ zoneId: 'z', timestampMs: M0 + 3000, occupancyByClassId: occupancy({}), densityPerM2: 0 });
    const rows = stats.flushClosed(M0 + 60_000);
    expect(rows).toHaveLength(TRAFFIC_CLASSES.length);
    expect(rows.find((r) => r.className === 'car')).toEqual({
      minuteStartMs: M0,
      zoneId: 'z',
      classId: 3,
      className: 'car',
      occupancySum: 7,
      occupancyMax: 5,
      samples: 3,
      densitySum: null,
    });
    expect(rows.find((r) => r.className === 'person')).toMatchObject({
      occupancySum: 1,
      occupancyMax: 1,
      samples: 3,
      densitySum: 0.1,
    });
  });

  it('flushes a minute only once it has ended, and re-emits its whole total after a late sample', () => {
    const stats = new ZoneMinuteStats();
    stats.add({ zoneId: 'z', timestampMs: M0 + 59_000, occupancyByClassId: occupancy({ bus: 1 }), densityPerM2: null });
    expect(stats.flushClosed(M0 + 59_999)).toEqual([]);
    expect(stats.flushClosed(M0 + 60_000).find((r) => r.className === 'bus')).toMatchObject({
      occupancySum: 1,
      samples: 1,
    });
    expect(stats.flushClosed(M0 + 70_000)).toEqual([]);
    stats.add({ zoneId: 'z', timestampMs: M0 + 59_500, occupancyByClassId: occupancy({ bus: 1 }), densityPerM2: null });
    expect(stats.flushClosed(M0 + 70_000).find((r) => r.className === 'bus')).toMatchObject({
      occupancySum: 2,
      samples: 2,
    });
  });

  it('orders rows by minute, zone and class, and keeps zones apart', () => {
    const stats = new ZoneMinuteStats();
    stats.add({ zoneId: 'b', timestampMs: M0 + 61_000, occupancyByClassId: occupancy({}), densityPerM2: null });
    stats.add({ zoneId: 'a', timestampMs: M0 + 61_000, occupancyByClassId: occupancy({}), densityPerM2: null });
    stats.add({ zoneId: 'b', timestampMs: M0 + 1000, occupancyByClassId: occupancy({}), densityPerM2: null });
    const rows = stats.flushClosed(M0 + 180_000);
    expect(rows.filter((r) => r.classId === 0).map((r) => [r.minuteStartMs - M0, r.zoneId])).toEqual([
      [0, 'b'],
      [60_000, 'a'],
      [60_000, 'b'],
    ]);
  });

  it('drops (and counts) a sample older than the retained minutes', () => {
    const stats = new ZoneMinuteStats({ retainFlushedMs: 60_000 });
    stats.add({ zoneId: 'z', timestampMs: M0 + 1000, occupancyByClassId: occupancy({}), densityPerM2: null });
    stats.flushClosed(M0 + 10 * 60_000);
    stats.add({ zoneId: 'z', timestampMs: M0 + 2000, occupancyByClassId: occupancy({}), densityPerM2: null });
    expect(stats.lateDropped).toBe(1);
  });
});
