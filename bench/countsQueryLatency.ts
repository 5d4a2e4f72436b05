// Counts-query latency at city scale: N cameras × D days of generated per-minute rows in their own
// schema, then the traffic panel's and integrators' queries timed (p50/p95 per query shape).
// Usage: npx tsx bench/countsQueryLatency.ts [--cameras 100] [--days 30] [--runs 40] [--keep]
import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import { openDatabase } from '../store/database.ts';
import { ensureMonthlyPartitions } from '../store/partitions.ts';
import { TrafficCountStore, type Bucket, type CountsQuery } from '../store/trafficCounts.ts';
import { isEntryPoint } from './entryPoint.ts';
import { summariseLatencies, type LatencySummary } from '../harness/stats.ts';

const DAY_MS = 86_400_000;
const DISTRICTS = [
  'Ba Đình',
  'Hoàn Kiếm',
  'Đống Đa',
  'Hai Bà Trưng',
  'Cầu Giấy',
  'Thanh Xuân',
  'Tây Hồ',
  'Long Biên',
  'Hoàng Mai',
  'Hà Đông',
];

export interface CountsQueryBenchOptions {
  cameras: number;
  days: number;
  runs: number;
  keep: boolean;
}

export interface CountsQueryBenchResult {
  cameras: number;
  days: number;
  rows: number;
  generateSeconds: number;
  tableMegabytes: number;
  queries: Record<string, LatencySummary & { rowsReturned: number }>;
  overall: LatencySummary;
}

interface Shape {
  name: string;
  query(now: number, cameraIds: string[], pick: () => number): CountsQuery;
}

// What the panel and the integrators ask most: one camera's day, a district's week, the city's month.
const SHAPES: Shape[] = [
  {
    name: 'one camera, last hour, 1 min',
    query: (now, ids, pick) => q(now - 3_600_000, now, '1m', { cameraIds: [ids[pick() % ids.length]!] }),
  },
  {
    name: 'one camera, last 24 h, 15 min',
    query: (now, ids, pick) => q(now - DAY_MS, now, '15m', { cameraIds: [ids[pick() % ids.length]!] }),
  },
  {
    name: 'one district, last 7 days, 1 h',
    query: (now, _ids, pick) => q(now - 7 * DAY_MS, now, '1h', { districts: [DISTRICTS[pick() % DISTRICTS.length]!] }),
  },
  { name: 'whole city, last 30 days, 1 day', query: (now) => q(now - 30 * DAY_MS, now, '1d', {}) },
  {
    name: 'motorbikes city-wide, last 24 h, 1 h',
    query: (now) => q(now - DAY_MS, now, '1h', { classes: ['motorbike'] }),
  },
];

function q(fromMs: number, toMs: number, bucket: Bucket, filters: Partial<CountsQuery>): CountsQuery {
  return { fromMs, toMs, bucket, limit: 100_000, ...filters };
}

export async function runCountsQueryBench(
  options: CountsQueryBenchOptions,
  log: (line: string) => void = console.log,
): Promise<CountsQueryBenchResult> {
  const schema = `bench_counts_${Date.now().toString(36)}`;
  const config = loadConfig({ overrides: { database: { schema }, logLevel: 'warn' } });
  const logger = createLogger({ level: 'warn' });
  const db = await openDatabase(config.database, logger);
  try {
    // Panels ask for whole buckets: the range ends on the hour, so hour and day buckets read the rollup.
    const now = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    const from = now - options.days * DAY_MS;
    await ensureMonthlyPartitions(db.pool, logger, new Date(from), Math.ceil(options.days / 28) + 1);
    const cameraIds = (
      await db.pool.query<{ id: string }>(
        `INSERT INTO cameras (name, main_url, district, sample_fps)
         SELECT 'bench-' || n, 'rtsp://127.0.0.1/cam' || n, ($2::text[])[1 + n % array_length($2::text[], 1)], 5
         FROM generate_series(1, $1) AS n RETURNING id`,
        [options.cameras, DISTRICTS],
      )
    ).rows.map((r) => r.id);

    log(`generating ${options.days} days of minute rows for ${options.cameras} cameras…`);
    const started = performance.now();
    // One line per camera, two directions, two classes: four rows a minute, a deterministic daily shape.
    for (let day = 0; day < options.days; day++) {
      const dayStart = new Date(from + day * DAY_MS);
      await db.pool.query(
        `INSERT INTO traffic_counts (minute, camera_id, line_id, direction, class, count, speed_sum_kmh, speed_samples)
         SELECT m, c, 'line-1', d, k, 1 + (abs(hashtext(c::text || m::text || d || k)) % 20), 0, 0
         FROM generate_series($1::timestamptz, $1::timestamptz + interval '1 day' - interval '1 minute', interval '1 minute') AS m,
              unnest($2::uuid[]) AS c, unnest(ARRAY['in', 'out']) AS d, unnest(ARRAY['motorbike', 'car']) AS k`,
        [dayStart, cameraIds],
      );
      if ((day + 1) % 5 === 0 || day + 1 === options.days) log(`  ${day + 1}/${options.days} days`);
    }
    // The writer keeps the hourly rollup in step; rows generated in bulk get theirs the same way the migration does.
    await db.pool.query(
      `INSERT INTO traffic_counts_hourly
       SELECT date_trunc('hour', minute), camera_id, line_id, direction, class, sum(count), sum(speed_sum_kmh), sum(speed_samples)
       FROM traffic_counts GROUP BY 1, 2, 3, 4, 5`,
    );
    await db.pool.query('ANALYZE traffic_counts');
    await db.pool.query('ANALYZE traffic_counts_hourly');
    const generateSeconds = (performance.now() - started) / 1000;
    const rows = Number((await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM traffic_counts')).rows[0]!.n);
    const size = await db.pool.query<{ bytes: string }>(
      "SELECT sum(pg_total_relation_size(inhrelid))::bigint AS bytes FROM pg_inherits WHERE inhparent = 'traffic_counts'::regclass",
    );
    const store = new TrafficCountStore(db.pool);
    let seed = 1;
    const pick = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648);
    const queries: CountsQueryBenchResult['queries'] = {};
    const all: number[] = [];
    for (const shape of SHAPES) {
      const timings: number[] = [];
      let rowsReturned = 0;
      await store.counts(shape.query(now, cameraIds, pick)); // warm the cache once
      for (let run = 0; run < options.runs; run++) {
        const t0 = performance.now();
        rowsReturned = (await store.counts(shape.query(now, cameraIds, pick))).length;
        timings.push(performance.now() - t0);
      }
      all.push(...timings);
      queries[shape.name] = { ...summariseLatencies(timings), rowsReturned };
    }
    return {
      cameras: options.cameras,
      days: options.days,
      rows,
      generateSeconds: Math.round(generateSeconds * 10) / 10,
      tableMegabytes: Math.round(Number(size.rows[0]?.bytes ?? 0) / 1_048_576),
      queries,
      overall: summariseLatencies(all),
    };
  } finally {
    if (!options.keep) await db.pool.query(`DROP SCHEMA ${schema} CASCADE`);
    await db.close();
  }
}

if (isEntryPoint(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      cameras: { type: 'string', default: '100' },
      days: { type: 'string', default: '30' },
      runs: { type: 'string', default: '40' },
      keep: { type: 'boolean', default: false },
    },
  });
  const result = await runCountsQueryBench({
    cameras: Number(values.cameras),
    days: Number(values.days),
    runs: Number(values.runs),
    keep: values.keep!,
  });
  console.log(
    `\n${result.rows.toLocaleString('en')} minute rows (${result.tableMegabytes} MB), generated in ${result.generateSeconds} s`,
  );
  console.table(
    Object.fromEntries(
      Object.entries(result.queries).map(([name, s]) => [
        name,
        { p50Ms: s.p50Ms, p95Ms: s.p95Ms, p99Ms: s.p99Ms, rows: s.rowsReturned },
      ]),
    ),
  );
  console.log(`all queries: p50 ${result.overall.p50Ms} ms, p95 ${result.overall.p95Ms} ms`);
  await mkdir('bench/results', { recursive: true });
  const file = `bench/results/counts-query-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  await writeFile(file, JSON.stringify(result, null, 2));
  console.log(`written ${file}`);
}
