import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CameraRepository } from '../../../store/cameras.ts';
import { sourceOf, TrafficCountStore, type MinuteCount } from '../../../store/trafficCounts.ts';
import { ensureMonthlyPartitions } from '../../../store/partitions.ts';
import { createLogger } from '../../../core/logger.ts';
import { EXPECTED_ENGINE, openTestDatabase } from '../../support/testDatabase.ts';

describe('traffic count store', () => {
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  let store: TrafficCountStore;
  let cameraId: string;
  let otherDistrictCamera: string;

  beforeAll(async () => {
    db = await openTestDatabase();
    store = new TrafficCountStore(db.pool);
    const cameras = new CameraRepository(db.pool);
    cameraId = (await cameras.create({ name: 'A', mainUrl: 'rtsp://h/a', district: 'Ba Đình', sampleFps: 5 })).id;
    otherDistrictCamera = (
      await cameras.create({ name: 'B', mainUrl: 'rtsp://h/b', district: 'Đống Đa', sampleFps: 5 })
    ).id;
  });
  afterAll(async () => db?.drop());

  const minute = (iso: string) => new Date(iso);
  const row = (iso: string, count: number, extra: Partial<MinuteCount> = {}): MinuteCount => ({
    minute: minute(iso),
    cameraId,
    lineId: 'kim-ma',
    direction: 'in',
    className: 'motorbike',
    count,
    speedSumKmh: count * 30,
    speedSamples: count,
    ...extra,
  });

  it('replaces a minute written twice instead of adding to it', async () => {
    await store.upsertCounts([row('2026-11-25T01:00:00Z', 7)]);
    await store.upsertCounts([row('2026-11-25T01:00:00Z', 7)]);
    const rows = await store.counts({
      fromMs: Date.parse('2026-11-25T00:00:00Z'),
      toMs: Date.parse('2026-11-25T02:00:00Z'),
      bucket: '1m',
      limit: 100,
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      count: 7,
      meanSpeedKmh: 30,
      lineId: 'kim-ma',
      direction: 'in',
      className: 'motorbike',
    });
  });

  it('rolls minutes up into 15 min, hour and Vietnam-local day buckets with weighted mean speed', async () => {
    await store.upsertCounts([
      row('2026-11-24T16:59:00Z', 1, { speedSumKmh: 10, speedSamples: 1 }), // 23:59 on 24 Nov in Hà Nội
      row('2026-11-24T17:00:00Z', 2, { speedSumKmh: 40, speedSamples: 2 }), // 00:00 on 25 Nov in Hà Nội
      row('2026-11-24T17:14:00Z', 3, { speedSumKmh: 150, speedSamples: 3 }),
      row('2026-11-24T17:15:00Z', 4, { speedSumKmh: 0, speedSamples: 0 }),
    ]);
    const range = {
      fromMs: Date.parse('2026-11-24T16:00:00Z'),
      toMs: Date.parse('2026-11-24T18:00:00Z'),
      limit: 100,
      classes: ['motorbike'],
    };
    const quarter = await store.counts({ ...range, bucket: '15m' });
    expect(quarter.map((r) => [r.bucket.toISOString(), r.count, r.meanSpeedKmh])).toEqual([
      ['2026-11-24T16:45:00.000Z', 1, 10],
      ['2026-11-24T17:00:00.000Z', 5, 38],
      ['2026-11-24T17:15:00.000Z', 4, null],
    ]);
    const day = await store.counts({ ...range, bucket: '1d' });
    expect(day.map((r) => [r.bucket.toISOString(), r.count])).toEqual([
      ['2026-11-23T17:00:00.000Z', 1],
      ['2026-11-24T17:00:00.000Z', 9],
    ]);
  });

  it('answers hour and day buckets from the hourly rollup with the same rows as from the minutes', async () => {
    // Rewrites of a minute must move the hour's total too (the rollup is recomputed, not incremented).
    await store.upsertCounts([
      row('2026-11-20T03:10:00Z', 4),
      row('2026-11-20T03:50:00Z', 6),
      row('2026-11-20T05:00:00Z', 1),
    ]);
    await store.upsertCounts([row('2026-11-20T03:10:00Z', 5)]);
    const aligned = {
      fromMs: Date.parse('2026-11-20T00:00:00Z'),
      toMs: Date.parse('2026-11-21T00:00:00Z'),
      limit: 100,
    };
    // One millisecond off the hour: same rows in range, but read from the minutes.
    const unaligned = { ...aligned, fromMs: aligned.fromMs - 1 };
    expect(sourceOf({ ...aligned, bucket: '1h' }, 'traffic_counts').table).toBe('traffic_counts_hourly');
    expect(sourceOf({ ...unaligned, bucket: '1h' }, 'traffic_counts').table).toBe('traffic_counts');
    for (const bucket of ['1h', '1d'] as const) {
      const fromRollup = await store.counts({ ...aligned, bucket });
      expect(fromRollup).toEqual(await store.counts({ ...unaligned, bucket }));
      expect(fromRollup.reduce((sum, r) => sum + r.count, 0)).toBe(12);
    }
    const zone = {
      minute: minute('2026-11-20T03:10:00Z'),
      cameraId,
      zoneId: 'z',
      className: 'car',
      occupancySum: 30,
      occupancyMax: 4,
      samples: 10,
      densitySum: null,
    };
    await store.upsertZoneStats([zone, { ...zone, minute: minute('2026-11-20T03:11:00Z'), occupancyMax: 6 }]);
    const zonesFromRollup = await store.zoneStats({ ...aligned, bucket: '1h' });
    expect(zonesFromRollup).toEqual(await store.zoneStats({ ...unaligned, bucket: '1h' }));
    expect(zonesFromRollup[0]).toMatchObject({ occupancyAvg: 3, occupancyMax: 6 });
  });

  it('filters by district, camera and line', async () => {
    await store.upsertCounts([
      row('2026-11-25T03:00:00Z', 5, { cameraId: otherDistrictCamera, lineId: 'ton-duc-thang' }),
    ]);
    const range = {
      fromMs: Date.parse('2026-11-25T03:00:00Z'),
      toMs: Date.parse('2026-11-25T04:00:00Z'),
      bucket: '1h' as const,
      limit: 100,
    };
    expect(await store.counts({ ...range, districts: ['Ba Đình'] })).toHaveLength(0);
    expect((await store.counts({ ...range, districts: ['Đống Đa'] }))[0]?.count).toBe(5);
    expect(await store.counts({ ...range, lineIds: ['kim-ma'] })).toHaveLength(0);
  });

  it('stores zone statistics idempotently and averages occupancy over samples', async () => {
    const stat = {
      minute: minute('2026-11-25T05:00:00Z'),
      cameraId,
      zoneId: 'quang-truong',
      className: 'person',
      occupancySum: 300,
      occupancyMax: 14,
      samples: 30,
      densitySum: 15,
    };
    await store.upsertZoneStats([stat]);
    await store.upsertZoneStats([stat]);
    const rows = await store.zoneStats({
      fromMs: Date.parse('2026-11-25T05:00:00Z'),
      toMs: Date.parse('2026-11-25T06:00:00Z'),
      bucket: '1h',
      limit: 10,
    });
    expect(rows).toEqual([expect.objectContaining({ occupancyAvg: 10, occupancyMax: 14, densityAvg: 0.5 })]);
  });

  // Each engine partitions by time its own way; the run states which engine it expects (testDatabase.ts).
  it(`partitions traffic by time on ${EXPECTED_ENGINE}`, async () => {
    const created = await ensureMonthlyPartitions(
      db.pool,
      createLogger({ level: 'silent' }),
      new Date('2027-03-10T00:00:00Z'),
      1,
    );
    await store.upsertCounts([row('2027-03-10T08:00:00Z', 2)]);
    const where = await db.pool.query(
      "SELECT tableoid::regclass::text AS part FROM traffic_counts WHERE minute = '2027-03-10T08:00:00Z'",
    );
    if (EXPECTED_ENGINE === 'postgresql') {
      expect(created).toEqual([
        'traffic_counts_202703',
        'traffic_counts_202704',
        'zone_stats_202703',
        'zone_stats_202704',
      ]);
      expect(where.rows[0].part).toMatch(/traffic_counts_202703$/);
    } else {
      expect(created).toEqual([]); // TimescaleDB makes chunks itself
      expect(where.rows[0].part).toMatch(/_timescaledb_internal\._hyper_/);
    }
  });
});
