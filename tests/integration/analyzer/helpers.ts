// Shared by the analyzer's integration tests: a schema and a Redis prefix of their own, a camera with the
// synthetic scene's lines and zones, results written to its stream as workers would, rows read back, and
// an analyzer run as a child process that a test can SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { loadConfig, type Config } from '../../../core/config.ts';
import type { InferenceResult } from '../../../core/inferenceResult.ts';
import type { CameraAnalysis } from '../../../core/cameraAnalysis.ts';
import { publishResult } from '../../../inference/results.ts';
import { CameraRepository } from '../../../store/cameras.ts';
import { CameraAnalysisRepository } from '../../../store/cameraAnalysis.ts';
import { CameraPipeline } from '../../../analytics/cameraPipeline.ts';
import { SeqReorderBuffer } from '../../../analytics/seqReorderBuffer.ts';
import { PendingRows } from '../../../analyzer/storeRows.ts';
import { openTestDatabase, TEST_DATABASE_URL } from '../../support/testDatabase.ts';
import { deletePrefixKeys, waitFor } from '../inference/helpers.ts';
import { TEST_ANALYSIS } from '../../unit/analyzer/syntheticTraffic.ts';
import { pipelineFrameOf } from '../../../analytics/pipelineFrameOf.ts';
import { createRedis, redisKeys } from '../../../core/redis.ts';

export { waitFor };

export type TestDatabase = Awaited<ReturnType<typeof openTestDatabase>>;

export interface AnalyzerTestEnv {
  config: Readonly<Config>;
  db: TestDatabase;
  redis: Redis;
  cleanup(): Promise<void>;
}

export const TEST_ANALYZER_SETTINGS = {
  leaseTtlMs: 3000,
  cameraListIntervalMs: 300,
  checkpointIntervalMs: 200,
  readBlockMs: 200,
  allowedLatenessMs: 3000,
  // Tests compare stored rows with closed minutes only; an idle flush of the open one is tested on its own.
  idleFlushMs: 600_000,
} as const;

export async function openAnalyzerTestEnv(analyzer: Partial<Config['analyzer']> = {}): Promise<AnalyzerTestEnv> {
  const db = await openTestDatabase();
  const prefix = `ioc-test-an-${randomBytes(4).toString('hex')}`;
  const config = loadConfig({
    env: {},
    overrides: {
      database: { url: TEST_DATABASE_URL, schema: db.schema, poolSize: 4 },
      redis: { prefix },
      analyzer: { ...TEST_ANALYZER_SETTINGS, ...analyzer },
    },
  });
  const redis = createRedis(config.redis.url, 'request');
  return {
    config,
    db,
    redis,
    async cleanup() {
      await deletePrefixKeys(redis, prefix).catch(() => undefined);
      redis.disconnect();
      await db.drop();
    },
  };
}

export async function createTestCamera(pool: Pool, name = 'Ngã tư Sở'): Promise<string> {
  const camera = await new CameraRepository(pool).create({
    name,
    mainUrl: 'rtsp://127.0.0.1:8554/test',
    district: 'Đống Đa',
    sampleFps: 5,
  });
  await new CameraAnalysisRepository(pool).set(camera.id, TEST_ANALYSIS);
  return camera.id;
}

/** Publishes results as workers do (one XADD each); returns the last stream id. */
export async function writeResults(redis: Redis, prefix: string, results: readonly InferenceResult[]): Promise<string> {
  let last = '0';
  const batch = 200;
  for (let i = 0; i < results.length; i += batch) {
    const ids = await Promise.all(results.slice(i, i + batch).map((r) => publishResult(redis, prefix, 1_000_000, r)));
    last = ids[ids.length - 1]!;
  }
  return last;
}

/** Results as they arrive from several workers: some neighbours swapped, some published twice. */
export function asDelivered(results: readonly InferenceResult[]): InferenceResult[] {
  const out: InferenceResult[] = [];
  for (let i = 0; i < results.length; i++) {
    if (i % 10 === 3 && i + 1 < results.length) {
      out.push(results[i + 1]!, results[i]!);
      i++;
    } else out.push(results[i]!);
    if (i % 37 === 0) out.push(results[i]!);
  }
  return out;
}

export interface StoredRows {
  counts: string[];
  zones: string[];
}

/** Every stored row as a line of text, sorted, without written_at: equal text means equal rows. */
export async function storedRows(pool: Pool, cameraId: string): Promise<StoredRows> {
  const counts = await pool.query(
    `SELECT minute, line_id, direction, class, count, speed_sum_kmh, speed_samples FROM traffic_counts
     WHERE camera_id = $1 ORDER BY minute, line_id, direction, class`,
    [cameraId],
  );
  const zones = await pool.query(
    `SELECT minute, zone_id, class, occupancy_sum, occupancy_max, samples, density_sum FROM zone_stats
     WHERE camera_id = $1 ORDER BY minute, zone_id, class`,
    [cameraId],
  );
  const line = (row: Record<string, unknown>) =>
    JSON.stringify(Object.values(row).map((v) => (v instanceof Date ? v.toISOString() : v)));
  return { counts: counts.rows.map(line).sort(), zones: zones.rows.map(line).sort() };
}

/** What an uninterrupted analyzer must store: the same pipeline, fed in one go, flushed at the same watermark. */
export function referenceRows(
  cameraId: string,
  delivered: readonly InferenceResult[],
  config: Readonly<Config>,
  analysis: CameraAnalysis = TEST_ANALYSIS,
  /** As after an idle flush: the re-order buffer drained and the open minute written too. */
  closeAll = false,
): StoredRows {
  const first = delivered[0]!;
  const pipeline = new CameraPipeline(cameraId, analysis, {
    widthPx: first.frameWidthPx,
    heightPx: first.frameHeightPx,
  });
  const reorder = new SeqReorderBuffer<InferenceResult>({
    maxWaitMs: config.analyzer.reorderMaxWaitMs,
    maxBuffered: config.analyzer.reorderMaxBuffered,
  });
  const pending = new PendingRows(cameraId, 0);
  for (const result of delivered) {
    for (const r of reorder.push(result)) pipeline.process(pipelineFrameOf(r));
  }
  if (closeAll) {
    for (const r of reorder.drain()) pipeline.process(pipelineFrameOf(r));
  }
  pending.add(
    pipeline.flushClosed(pipeline.newestCapturedAtMs + (closeAll ? 60_000 : -config.analyzer.allowedLatenessMs)),
  );
  const { counts, zones } = pending.rows();
  const text = (values: unknown[]) => JSON.stringify(values.map((v) => (v instanceof Date ? v.toISOString() : v)));
  return {
    counts: counts
      .map((r) => [r.minute, r.lineId, r.direction, r.className, r.count, r.speedSumKmh, r.speedSamples])
      .map(text)
      .sort(),
    zones: zones
      .map((r) => [r.minute, r.zoneId, r.className, r.occupancySum, r.occupancyMax, r.samples, r.densitySum])
      .map(text)
      .sort(),
  };
}

/** The analyzer's checkpoint of a camera, parsed, or null. */
export async function checkpointOf(
  redis: Redis,
  prefix: string,
  cameraId: string,
): Promise<{ streamId: string; watermarkMs: number | null } | null> {
  const json = await redis.get(redisKeys.checkpoint(prefix, cameraId));
  return json === null ? null : (JSON.parse(json) as { streamId: string; watermarkMs: number | null });
}

export interface ChildAnalyzer {
  analyzerId: string;
  process: ChildProcess;
  /** SIGKILL, as a crash: no lease released, nothing flushed. Resolves when the process is gone. */
  kill(): Promise<void>;
}

const CHILD_SCRIPT = fileURLToPath(new URL('./analyzerChild.ts', import.meta.url));

/** Starts an analyzer in a child process with the test's config; resolves once it has started. */
export async function startChildAnalyzer(config: Readonly<Config>, analyzerId: string): Promise<ChildAnalyzer> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    ANALYZER_ID: analyzerId,
    ANALYZER_CONFIG: JSON.stringify(config),
  };
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD_SCRIPT], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', (chunk) => {
      stdout += String(chunk);
      if (stdout.includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`analyzer child exited with ${code}: ${stderr}`)));
  });
  return {
    analyzerId,
    process: child,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
