// Replays a clip through the real pipeline without a camera: ffmpeg decodes it at the sample rate,
// frames go on the BullMQ queue with capture times derived from their position in the clip, a real
// inference worker detects, a real analyzer counts, and the stored minute rows are read back.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { loadConfig, type Config } from '../../core/config.ts';
import type { CameraAnalysis } from '../../core/cameraAnalysis.ts';
import { createLogger } from '../../core/logger.ts';
import { resultsStreamKey } from '../../core/inferenceResult.ts';
import { BullmqFrameSink } from '../../inference/frameSink.ts';
import { startInferenceWorker } from '../../inference/worker.ts';
import { startAnalyzerProcess } from '../../analyzer/process.ts';
import { analysisPlanFor } from '../../analyzer/analysisPlan.ts';
import { setAnalysisPlan } from '../../inference/analysisPlans.ts';
import { openDatabase } from '../../store/database.ts';
import { CameraRepository } from '../../store/cameras.ts';
import { CameraAnalysisRepository } from '../../store/cameraAnalysis.ts';
import { JpegSplitter, readJpegSize } from '../../ingest/jpegSplitter.ts';
import type { Pool } from 'pg';
import type { AlertRule } from '../../core/alerts.ts';
import { AlertRulesRepository } from '../../store/alertRules.ts';
import { dropTestSchema, TEST_DATABASE_URL, uniqueName } from './testDatabase.ts';
import { waitFor } from './systemHarness.ts';

const execFileAsync = promisify(execFile);

export interface ReplayOptions {
  clipPath: string;
  analysis: CameraAnalysis;
  sampleFps: number;
  frameWidthPx: number;
  /** Capture time of the clip's first frame (epoch ms, a minute boundary keeps rows predictable). */
  startMs: number;
  /** The camera's alert rules (none by default; camera-problem defaults apply as in production). */
  alertRules?: AlertRule[];
}

/** An alert as stored, with what a test checks about it. */
export interface StoredAlert {
  ruleId: string;
  type: string;
  subject: string;
  active: boolean;
  startedAtMs: number;
  endedAtMs: number | null;
  details: Record<string, unknown>;
  hasSnapshot: boolean;
}

export interface Replayed {
  counts: StoredCount[];
  alerts: StoredAlert[];
}

export interface StoredCount {
  minute: string;
  lineId: string;
  direction: string;
  className: string;
  count: number;
}

async function readAlerts(pool: Pool): Promise<StoredAlert[]> {
  const { rows } = await pool.query<{ rule_id: string; type: string; subject: string; active: boolean; started_at: Date; ended_at: Date | null; details: Record<string, unknown>; has_snapshot: boolean }>(
    `SELECT rule_id, type, subject, active, started_at, ended_at, details,
            EXISTS (SELECT 1 FROM alert_snapshots s WHERE s.alert_id = a.id) AS has_snapshot
       FROM alerts a ORDER BY started_at, subject`,
  );
  return rows.map((r) => ({
    ruleId: r.rule_id,
    type: r.type,
    subject: r.subject,
    active: r.active,
    startedAtMs: r.started_at.getTime(),
    endedAtMs: r.ended_at ? r.ended_at.getTime() : null,
    details: r.details,
    hasSnapshot: r.has_snapshot,
  }));
}

export async function decodeClip(clipPath: string, sampleFps: number, widthPx: number): Promise<Buffer[]> {
  const { stdout } = await execFileAsync(
    'ffmpeg',
    ['-v', 'error', '-i', clipPath, '-an', '-vf', `fps=${sampleFps},scale=${widthPx}:-2`, '-q:v', '4', '-f', 'image2pipe', '-c:v', 'mjpeg', 'pipe:1'],
    { encoding: 'buffer', maxBuffer: 512 * 1024 * 1024 },
  );
  return new JpegSplitter({ maxFrameBytes: 16 * 1024 * 1024 }).push(stdout);
}

/** Stored counts of a replay (see replayWithAlerts for its alerts too). */
export async function replayClip(options: ReplayOptions): Promise<StoredCount[]> {
  return (await replayWithAlerts(options)).counts;
}

export async function replayWithAlerts(options: ReplayOptions): Promise<Replayed> {
  const schema = uniqueName('replay');
  const prefix = uniqueName('iocreplay');
  const config: Readonly<Config> = loadConfig({
    env: { IOC_ASSETS: process.env.IOC_ASSETS },
    overrides: {
      logLevel: 'warn',
      database: { url: TEST_DATABASE_URL, schema },
      redis: { prefix },
      // Nothing may be dropped by backpressure: the replay must see every frame both times.
      queue: { maxWaitingPerCamera: 1000, workerConcurrency: 1 },
      analyzer: { idleFlushMs: 1000, cameraListIntervalMs: 300, readBlockMs: 100 },
      // A replay has no live video to cut a clip from: evidence waits no longer than the replay.
      alerts: { clipBeforeMs: 0, clipAfterMs: 0 },
    },
  });
  const logger = createLogger({ level: 'warn' });
  const db = await openDatabase(config.database, logger);
  const camera = await new CameraRepository(db.pool).create({ name: 'replay', mainUrl: 'rtsp://127.0.0.1:1/replay', district: 'Hoàn Kiếm', sampleFps: options.sampleFps });
  await new CameraAnalysisRepository(db.pool).set(camera.id, options.analysis);
  if (options.alertRules) await new AlertRulesRepository(db.pool).set(camera.id, { rules: options.alertRules });
  const frames = await decodeClip(options.clipPath, options.sampleFps, options.frameWidthPx);
  const redisForPlan = new Redis(config.redis.url);
  // The analyzer writes the camera's inference crops when it sees the first result; frames detected
  // before that would use the whole frame only, and how many depends on timing. Write the same plan first.
  const firstSize = readJpegSize(frames[0]!)!;
  await setAnalysisPlan(redisForPlan, prefix, camera.id, analysisPlanFor(options.analysis, firstSize, config.analyzer.cropMarginPx));
  await redisForPlan.quit();
  const worker = await startInferenceWorker(config, logger);
  const analyzer = await startAnalyzerProcess(config, logger);
  const sink = new BullmqFrameSink(config);
  const redis = new Redis(config.redis.url);
  try {
    const intervalMs = 1000 / options.sampleFps;
    for (const [seq, jpeg] of frames.entries()) {
      const size = readJpegSize(jpeg)!;
      await sink.push({ cameraId: camera.id, seq, capturedAtMs: options.startMs + Math.round(seq * intervalMs), jpeg, widthPx: size.widthPx, heightPx: size.heightPx });
    }
    await waitFor('every frame analysed', async () => (analyzer.cameraStats()[camera.id]?.framesProcessed ?? 0) >= frames.length, 240_000, 250);
    // The last minute is written by the idle flush once the stream goes quiet.
    await waitFor('the idle flush', async () => (analyzer.cameraStats()[camera.id]?.idleFlushes ?? 0) > 0, 20_000, 250);
    // The idle flush also ends the open alerts; they are written by the commit that follows it.
    await waitFor('the commit after the idle flush', async () => (analyzer.cameraStats()[camera.id]?.idleCommits ?? 0) > 0, 20_000, 100);
    const written = await db.pool.query<{ minute: Date; line_id: string; direction: string; class: string; count: number }>(
      'SELECT minute, line_id, direction, class, count FROM traffic_counts ORDER BY minute, line_id, direction, class',
    );
    if ((await redis.xlen(resultsStreamKey(prefix, camera.id))) < frames.length) throw new Error('results missing from the stream');
    const counts = written.rows.map((r) => ({ minute: r.minute.toISOString(), lineId: r.line_id, direction: r.direction, className: r.class, count: r.count }));
    const alerts = await readAlerts(db.pool);
    return { counts, alerts };
  } finally {
    await sink.close();
    await analyzer.close();
    await worker.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await db.close();
    await dropTestSchema(schema);
  }
}
