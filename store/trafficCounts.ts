// Per-minute line counts and zone statistics: idempotent writes (one row per key, replaced on retry)
// and the queries behind the counts API. All bucketing is date_bin over the minute rows, so plain
// PostgreSQL and TimescaleDB answer the same.
import { inTransaction } from './transaction.ts';
import type { Pool, PoolClient } from 'pg';
import type { MinuteCount, MinuteZoneStat } from './minuteRows.ts';
import { countMessages, enqueueMqttMessages, zoneMessages } from './mqttMessages.ts';

export type { MinuteCount, MinuteZoneStat } from './minuteRows.ts';

export const BUCKETS = ['1m', '5m', '15m', '1h', '1d'] as const;
export type Bucket = (typeof BUCKETS)[number];
const BUCKET_INTERVAL: Record<Bucket, string> = {
  '1m': '1 minute',
  '5m': '5 minutes',
  '15m': '15 minutes',
  '1h': '1 hour',
  '1d': '1 day',
};
/** Buckets start on Vietnam's local midnight (UTC+7, no DST), so a "day" is the day transport staff mean. */
const BUCKET_ORIGIN = '2000-01-01T00:00:00+07:00';

export interface CountsQuery {
  fromMs: number;
  toMs: number;
  bucket: Bucket;
  cameraIds?: readonly string[];
  lineIds?: readonly string[];
  districts?: readonly string[];
  classes?: readonly string[];
  /** Zone stats only: exact (camera, zone) pairs, since a zone id is unique only within its camera. */
  zoneKeys?: readonly { cameraId: string; zoneId: string }[];
  limit: number;
}

export interface CountRow {
  bucket: Date;
  cameraId: string;
  lineId: string;
  direction: string;
  className: string;
  count: number;
  meanSpeedKmh: number | null;
}

export interface ZoneStatRow {
  bucket: Date;
  cameraId: string;
  zoneId: string;
  className: string;
  occupancyAvg: number;
  occupancyMax: number;
  densityAvg: number | null;
}

const HOUR_MS = 3_600_000;

/**
 * Where a query reads: hour and day buckets over whole hours read the hourly rollup (60× fewer rows),
 * anything finer or cut mid-hour reads the minutes. Both give the same totals for the same buckets.
 */
export function sourceOf(
  query: Pick<CountsQuery, 'bucket' | 'fromMs' | 'toMs'>,
  table: 'traffic_counts' | 'zone_stats',
) {
  const wholeHours = query.fromMs % HOUR_MS === 0 && query.toMs % HOUR_MS === 0;
  return (query.bucket === '1h' || query.bucket === '1d') && wholeHours
    ? { table: `${table}_hourly`, time: 'hour' }
    : { table, time: 'minute' };
}

function filters(query: CountsQuery, params: unknown[], key: 'line_id' | 'zone_id', time: string): string {
  const where = [`t.${time} >= $1`, `t.${time} < $2`];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (query.cameraIds) add('t.camera_id = ANY(?::uuid[])', query.cameraIds);
  if (query.lineIds) add(`t.${key} = ANY(?)`, query.lineIds);
  if (query.classes) add('t.class = ANY(?)', query.classes);
  if (query.districts) add('c.district = ANY(?)', query.districts);
  if (query.zoneKeys) {
    params.push(
      query.zoneKeys.map((z) => z.cameraId),
      query.zoneKeys.map((z) => z.zoneId),
    );
    where.push(
      `(t.camera_id, t.${key}) IN (SELECT * FROM unnest($${params.length - 1}::uuid[], $${params.length}::text[]))`,
    );
  }
  return where.join(' AND ');
}

export class TrafficCountStore {
  constructor(private readonly pool: Pool) {}

  /** Writes closed minutes. Re-writing a minute replaces it: a retry or a takeover never double-counts. */
  async upsertCounts(rows: readonly MinuteCount[]): Promise<void> {
    if (rows.length === 0) return;
    const columns = [
      rows.map((r) => r.minute),
      rows.map((r) => r.cameraId),
      rows.map((r) => r.lineId),
      rows.map((r) => r.direction),
      rows.map((r) => r.className),
    ];
    await this.inTransaction(async (client) => {
      await client.query(
        `INSERT INTO traffic_counts (minute, camera_id, line_id, direction, class, count, speed_sum_kmh, speed_samples)
         SELECT * FROM unnest($1::timestamptz[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::int[], $7::float8[], $8::int[])
         ON CONFLICT (camera_id, line_id, direction, class, minute) DO UPDATE
           SET count = EXCLUDED.count, speed_sum_kmh = EXCLUDED.speed_sum_kmh,
               speed_samples = EXCLUDED.speed_samples, written_at = now()`,
        [...columns, rows.map((r) => r.count), rows.map((r) => r.speedSumKmh), rows.map((r) => r.speedSamples)],
      );
      // The touched hours, recomputed whole from their minutes: the rollup is always their exact sum.
      await client.query(
        `INSERT INTO traffic_counts_hourly (hour, camera_id, line_id, direction, class, count, speed_sum_kmh, speed_samples)
         SELECT a.hour, t.camera_id, t.line_id, t.direction, t.class, sum(t.count), sum(t.speed_sum_kmh), sum(t.speed_samples)
         FROM (SELECT DISTINCT date_trunc('hour', m) AS hour, c, l, d, k
               FROM unnest($1::timestamptz[], $2::uuid[], $3::text[], $4::text[], $5::text[]) AS u(m, c, l, d, k)) a
         JOIN traffic_counts t ON t.camera_id = a.c AND t.line_id = a.l AND t.direction = a.d AND t.class = a.k
                              AND t.minute >= a.hour AND t.minute < a.hour + interval '1 hour'
         GROUP BY 1, 2, 3, 4, 5
         ON CONFLICT (camera_id, line_id, direction, class, hour) DO UPDATE
           SET count = EXCLUDED.count, speed_sum_kmh = EXCLUDED.speed_sum_kmh, speed_samples = EXCLUDED.speed_samples`,
        columns,
      );
      await enqueueMqttMessages(client, await countMessages(client, rows));
    });
  }

  async upsertZoneStats(rows: readonly MinuteZoneStat[]): Promise<void> {
    if (rows.length === 0) return;
    const columns = [
      rows.map((r) => r.minute),
      rows.map((r) => r.cameraId),
      rows.map((r) => r.zoneId),
      rows.map((r) => r.className),
    ];
    await this.inTransaction(async (client) => {
      await client.query(
        `INSERT INTO zone_stats (minute, camera_id, zone_id, class, occupancy_sum, occupancy_max, samples, density_sum)
         SELECT * FROM unnest($1::timestamptz[], $2::uuid[], $3::text[], $4::text[], $5::float8[], $6::int[], $7::int[], $8::float8[])
         ON CONFLICT (camera_id, zone_id, class, minute) DO UPDATE
           SET occupancy_sum = EXCLUDED.occupancy_sum, occupancy_max = EXCLUDED.occupancy_max,
               samples = EXCLUDED.samples, density_sum = EXCLUDED.density_sum, written_at = now()`,
        [
          ...columns,
          rows.map((r) => r.occupancySum),
          rows.map((r) => r.occupancyMax),
          rows.map((r) => r.samples),
          rows.map((r) => r.densitySum),
        ],
      );
      await client.query(
        `INSERT INTO zone_stats_hourly (hour, camera_id, zone_id, class, occupancy_sum, occupancy_max, samples, density_sum)
         SELECT a.hour, t.camera_id, t.zone_id, t.class, sum(t.occupancy_sum), max(t.occupancy_max), sum(t.samples), sum(t.density_sum)
         FROM (SELECT DISTINCT date_trunc('hour', m) AS hour, c, z, k
               FROM unnest($1::timestamptz[], $2::uuid[], $3::text[], $4::text[]) AS u(m, c, z, k)) a
         JOIN zone_stats t ON t.camera_id = a.c AND t.zone_id = a.z AND t.class = a.k
                          AND t.minute >= a.hour AND t.minute < a.hour + interval '1 hour'
         GROUP BY 1, 2, 3, 4
         ON CONFLICT (camera_id, zone_id, class, hour) DO UPDATE
           SET occupancy_sum = EXCLUDED.occupancy_sum, occupancy_max = EXCLUDED.occupancy_max,
               samples = EXCLUDED.samples, density_sum = EXCLUDED.density_sum`,
        columns,
      );
      await enqueueMqttMessages(client, await zoneMessages(client, rows));
    });
  }

  private inTransaction(work: (client: PoolClient) => Promise<void>): Promise<void> {
    return inTransaction(this.pool, work);
  }

  async counts(query: CountsQuery): Promise<CountRow[]> {
    const params: unknown[] = [new Date(query.fromMs), new Date(query.toMs)];
    const source = sourceOf(query, 'traffic_counts');
    const where = filters(query, params, 'line_id', source.time);
    params.push(BUCKET_INTERVAL[query.bucket], BUCKET_ORIGIN, query.limit);
    const n = params.length;
    const result = await this.pool.query<{
      bucket: Date;
      camera_id: string;
      line_id: string;
      direction: string;
      class: string;
      count: string;
      mean_speed: number | null;
    }>(
      `SELECT date_bin($${n - 2}::interval, t.${source.time}, $${n - 1}::timestamptz) AS bucket,
              t.camera_id, t.line_id, t.direction, t.class,
              sum(t.count) AS count,
              sum(t.speed_sum_kmh) / nullif(sum(t.speed_samples), 0) AS mean_speed
       FROM ${source.table} t JOIN cameras c ON c.id = t.camera_id
       WHERE ${where}
       GROUP BY 1, 2, 3, 4, 5
       ORDER BY 1, 2, 3, 4, 5
       LIMIT $${n}`,
      params,
    );
    return result.rows.map((r) => ({
      bucket: r.bucket,
      cameraId: r.camera_id,
      lineId: r.line_id,
      direction: r.direction,
      className: r.class,
      count: Number(r.count),
      meanSpeedKmh: r.mean_speed === null ? null : Math.round(r.mean_speed * 10) / 10,
    }));
  }

  async zoneStats(query: CountsQuery): Promise<ZoneStatRow[]> {
    const params: unknown[] = [new Date(query.fromMs), new Date(query.toMs)];
    const source = sourceOf(query, 'zone_stats');
    const where = filters(query, params, 'zone_id', source.time);
    params.push(BUCKET_INTERVAL[query.bucket], BUCKET_ORIGIN, query.limit);
    const n = params.length;
    const result = await this.pool.query<{
      bucket: Date;
      camera_id: string;
      zone_id: string;
      class: string;
      occupancy_avg: number;
      occupancy_max: number;
      density_avg: number | null;
    }>(
      `SELECT date_bin($${n - 2}::interval, t.${source.time}, $${n - 1}::timestamptz) AS bucket,
              t.camera_id, t.zone_id, t.class,
              sum(t.occupancy_sum) / sum(t.samples) AS occupancy_avg,
              max(t.occupancy_max) AS occupancy_max,
              sum(t.density_sum) / sum(t.samples) AS density_avg
       FROM ${source.table} t JOIN cameras c ON c.id = t.camera_id
       WHERE ${where}
       GROUP BY 1, 2, 3, 4
       ORDER BY 1, 2, 3, 4
       LIMIT $${n}`,
      params,
    );
    return result.rows.map((r) => ({
      bucket: r.bucket,
      cameraId: r.camera_id,
      zoneId: r.zone_id,
      className: r.class,
      occupancyAvg: Math.round(r.occupancy_avg * 100) / 100,
      occupancyMax: r.occupancy_max,
      densityAvg: r.density_avg === null ? null : Math.round(r.density_avg * 1000) / 1000,
    }));
  }
}
