// Report generation time at province scale: a month of per-minute rows for N cameras across ten districts
// (and some alerts) in their own schema, then the province-wide monthly report made several times, with the
// time split between reading the figures, rendering the PDF and CSV, and archiving them.
// Each camera also has a junction zone with a capacity and a minute of its statistics a minute (congestion hours).
// Usage: npx tsx bench/reportGeneration.ts [--cameras 100] [--runs 5] [--keep]
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { AlertSignal } from '../core/alerts.ts';
import type { Camera } from '../core/camera.ts';
import { loadConfig } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import { periodContaining, previousPeriod, type ReportPeriod } from '../core/reportPeriod.ts';
import { readReportFigures } from '../reports/reportCongestion.ts';
import { renderReportCsv } from '../reports/reportCsv.ts';
import { renderReportPdf } from '../reports/reportPdf.ts';
import { AlertStore } from '../store/alerts.ts';
import { CameraAnalysisRepository } from '../store/cameraAnalysis.ts';
import { CameraRepository } from '../store/cameras.ts';
import { openDatabase } from '../store/database.ts';
import { ensureMonthlyPartitions } from '../store/partitions.ts';
import { ReportRepository } from '../store/reports.ts';
import { isEntryPoint } from './entryPoint.ts';

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
const ALERT_TYPES: AlertSignal['type'][] = ['wrongWay', 'congestion', 'crowd', 'stoppedVehicle', 'intrusion'];
const SEVERITIES: AlertSignal['severity'][] = ['info', 'warning', 'critical'];

export interface ReportBenchOptions {
  cameras: number;
  runs: number;
  /** Alerts raised over the month, a fifth of them acknowledged. */
  alerts: number;
  keep: boolean;
}

interface Split {
  totalMs: number;
  queryMs: number;
  pdfMs: number;
  csvMs: number;
  archiveMs: number;
}

export interface ReportBenchResult {
  cameras: number;
  districts: number;
  rows: number;
  alerts: number;
  generateSeconds: number;
  pdfBytes: number;
  csvBytes: number;
  runs: Split[];
  median: Split;
  max: Split;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const pick = (runs: Split[], f: (v: number[]) => number): Split => {
  const of = (k: keyof Split) => Math.round(f(runs.map((r) => r[k])));
  return {
    totalMs: of('totalMs'),
    queryMs: of('queryMs'),
    pdfMs: of('pdfMs'),
    csvMs: of('csvMs'),
    archiveMs: of('archiveMs'),
  };
};

async function seedAlerts(store: AlertStore, cameras: Camera[], period: ReportPeriod, count: number) {
  const spanMs = period.toMs - period.fromMs;
  for (let n = 0; n < count; n++) {
    const camera = cameras[n % cameras.length]!;
    const atMs = period.fromMs + Math.floor((((n * 7919) % count) / count) * (spanMs - 3_600_000));
    const type = n % 25 === 0 ? 'cameraOffline' : ALERT_TYPES[n % ALERT_TYPES.length]!;
    const signal: AlertSignal = {
      kind: 'raise',
      key: `${camera.id}:bench:${n}`,
      cameraId: camera.id,
      ruleId: `r-${type}`,
      type,
      severity: SEVERITIES[n % 3]!,
      subject: type === 'cameraOffline' ? 'camera' : `zone:z${n}`,
      startedAtMs: atMs,
      atMs,
      summary: `${type} ${n}`,
      details: {},
    };
    const [change] = await store.applySignals(camera, [signal]);
    if (type === 'cameraOffline')
      await store.applySignals(camera, [{ ...signal, kind: 'end', atMs: atMs + 40 * 60_000 }]);
    else if (n % 5 === 0) await store.transition(change!.alert.id, 'acknowledge', { kind: 'user', name: 'bench' });
  }
}

export async function runReportBench(
  options: ReportBenchOptions,
  log: (line: string) => void = console.log,
): Promise<ReportBenchResult> {
  const schema = `bench_report_${Date.now().toString(36)}`;
  const config = loadConfig({ overrides: { database: { schema }, logLevel: 'warn' } });
  const logger = createLogger({ level: 'warn' });
  const db = await openDatabase(config.database, logger);
  try {
    // The last month that has ended, in Vietnam's local time: what the scheduler makes on the 1st.
    const period = previousPeriod(periodContaining('monthly', Date.now()));
    await ensureMonthlyPartitions(db.pool, logger, new Date(period.fromMs - 31 * DAY_MS), 3);
    const repo = new CameraRepository(db.pool);
    const cameras: Camera[] = [];
    for (let n = 0; n < options.cameras; n++) {
      cameras.push(
        await repo.create({
          name: `Nút giao ${n + 1}`,
          mainUrl: `rtsp://127.0.0.1/cam${n}`,
          district: DISTRICTS[n % DISTRICTS.length]!,
          sampleFps: 5,
        }),
      );
    }
    const cameraIds = cameras.map((c) => c.id);
    // A junction zone with a capacity on every camera: the report's congestion hours read its statistics.
    const analyses = new CameraAnalysisRepository(db.pool);
    for (const camera of cameras) {
      await analyses.set(camera.id, {
        widthPx: 1920,
        heightPx: 1080,
        lines: [
          {
            id: 'line-1',
            name: 'Vạch đếm',
            points: [
              { x: 100, y: 600 },
              { x: 1800, y: 600 },
            ],
          },
        ],
        zones: [
          {
            id: 'giao-lo',
            name: 'Giao lộ',
            polygon: [
              { x: 200, y: 300 },
              { x: 1700, y: 300 },
              { x: 1700, y: 900 },
              { x: 200, y: 900 },
            ],
            capacityVehicles: 12,
          },
        ],
        calibration: null,
      });
    }
    const days = Math.round((period.toMs - period.fromMs) / DAY_MS);
    log(`generating ${days} days of minute rows for ${options.cameras} cameras…`);
    const started = performance.now();
    // One line per camera, two directions, two classes: four rows a minute, as the counts-query bench.
    for (let day = 0; day < days; day++) {
      await db.pool.query(
        `INSERT INTO traffic_counts (minute, camera_id, line_id, direction, class, count, speed_sum_kmh, speed_samples)
         SELECT m, c, 'line-1', d, k, 1 + (abs(hashtext(c::text || m::text || d || k)) % 20), 0, 0
         FROM generate_series($1::timestamptz, $1::timestamptz + interval '1 day' - interval '1 minute', interval '1 minute') AS m,
              unnest($2::uuid[]) AS c, unnest(ARRAY['in', 'out']) AS d, unnest(ARRAY['motorbike', 'car']) AS k`,
        [new Date(period.fromMs + day * DAY_MS), cameraIds],
      );
      // Zone statistics a minute per camera: occupancy swinging from empty to past capacity over the day.
      await db.pool.query(
        `INSERT INTO zone_stats (minute, camera_id, zone_id, class, occupancy_sum, occupancy_max, samples, density_sum)
         SELECT m, c, 'giao-lo', 'motorbike', 300 * (abs(hashtext(c::text || m::text)) % 16), abs(hashtext(c::text || m::text)) % 16 + 1, 300, NULL
         FROM generate_series($1::timestamptz, $1::timestamptz + interval '1 day' - interval '1 minute', interval '1 minute') AS m,
              unnest($2::uuid[]) AS c`,
        [new Date(period.fromMs + day * DAY_MS), cameraIds],
      );
      if ((day + 1) % 5 === 0 || day + 1 === days) log(`  ${day + 1}/${days} days`);
    }
    // The writer keeps the hourly rollup in step; rows generated in bulk get theirs the same way the migration does.
    await db.pool.query(
      `INSERT INTO traffic_counts_hourly
       SELECT date_trunc('hour', minute), camera_id, line_id, direction, class, sum(count), sum(speed_sum_kmh), sum(speed_samples)
       FROM traffic_counts GROUP BY 1, 2, 3, 4, 5`,
    );
    await db.pool.query('ANALYZE traffic_counts_hourly');
    await db.pool.query(
      `INSERT INTO zone_stats_hourly
       SELECT date_trunc('hour', minute), camera_id, zone_id, class, sum(occupancy_sum), max(occupancy_max), sum(samples), sum(density_sum)
       FROM zone_stats GROUP BY 1, 2, 3, 4`,
    );
    await db.pool.query('ANALYZE zone_stats_hourly');
    await seedAlerts(new AlertStore(db.pool), cameras, period, options.alerts);
    await db.pool.query('ANALYZE traffic_counts');
    await db.pool.query('ANALYZE alerts');
    const generateSeconds = Math.round((performance.now() - started) / 100) / 10;
    const rows = Number((await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM traffic_counts')).rows[0]!.n);

    const archive = new ReportRepository(db.pool);
    const runs: Split[] = [];
    let pdfBytes = 0;
    let csvBytes = 0;
    for (let run = 0; run < options.runs; run++) {
      // Each run makes the report anew: the archive keeps one per period, so the previous run's is removed.
      await db.pool.query('DELETE FROM reports');
      const t0 = performance.now();
      const summary = await readReportFigures(db.pool, period, null);
      const t1 = performance.now();
      const pdf = await renderReportPdf({
        summary,
        madeBy: 'bench',
        madeAtMs: Date.now(),
        fontDir: config.reports.fontDir,
        issuer: config.reports.issuer,
      });
      const t2 = performance.now();
      const csv = renderReportCsv(summary);
      const t3 = performance.now();
      const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
      await archive.insertOnce({
        kind: 'monthly',
        district: null,
        periodFromMs: period.fromMs,
        periodToMs: period.toMs,
        language: 'vi',
        madeBy: 'bench',
        summary,
        pdf,
        pdfSha256: sha(pdf),
        csv,
        csvSha256: sha(csv),
      });
      const t4 = performance.now();
      runs.push({ totalMs: t4 - t0, queryMs: t1 - t0, pdfMs: t2 - t1, csvMs: t3 - t2, archiveMs: t4 - t3 });
      pdfBytes = pdf.length;
      csvBytes = csv.length;
      log(
        `  run ${run + 1}: ${Math.round(t4 - t0)} ms (query ${Math.round(t1 - t0)}, PDF ${Math.round(t2 - t1)}, CSV ${Math.round(t3 - t2)}, archive ${Math.round(t4 - t3)})`,
      );
    }
    return {
      cameras: options.cameras,
      districts: Math.min(DISTRICTS.length, options.cameras),
      rows,
      alerts: options.alerts,
      generateSeconds,
      pdfBytes,
      csvBytes,
      runs: runs.map((r) => pick([r], median)),
      median: pick(runs, median),
      max: pick(runs, (v) => Math.max(...v)),
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
      runs: { type: 'string', default: '5' },
      alerts: { type: 'string', default: '500' },
      keep: { type: 'boolean', default: false },
    },
  });
  const result = await runReportBench({
    cameras: Number(values.cameras),
    runs: Number(values.runs),
    alerts: Number(values.alerts),
    keep: values.keep!,
  });
  console.log(
    `\n${result.rows.toLocaleString('en')} minute rows, ${result.alerts} alerts, ${result.cameras} cameras in ${result.districts} districts (generated in ${result.generateSeconds} s)`,
  );
  console.log(`PDF ${Math.round(result.pdfBytes / 1024)} KiB, CSV ${Math.round(result.csvBytes / 1024)} KiB`);
  console.table({ median: result.median, max: result.max });
  await mkdir('bench/results', { recursive: true });
  const file = `bench/results/report-generation-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  await writeFile(file, JSON.stringify(result, null, 2));
  console.log(`written ${file}`);
}
