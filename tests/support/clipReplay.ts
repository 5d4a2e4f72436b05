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
}

export interface StoredCount {
  minute: string;
  lineId: string;
  direction: string;
  className: string;
  count: number;
}

export async function decodeClip(clipPath: string, sampleFps: number, widthPx: number): Promise<Buffer[]> {
  const { stdout } = await execFileAsync(
    'ffmpeg',
    ['-v', 'error', '-i', clipPath, '-an', '-vf', `fps=${sampleFps},scale=${widthPx}:-2`, '-q:v', '4', '-f', 'image2pipe', '-c:v', 'mjpeg', 'pipe:1'],
    { encoding: 'buffer', maxBuffer: 512 * 1024 * 1024 },
  );
  return new JpegSplitter({ maxFrameBytes: 16 * 1024 * 1024 }).push(stdout);
}

export async function replayClip(options: ReplayOptions): Promise<StoredCount[]> {
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
    },
  });
  const logger = createLogger({ level: 'warn' });
  const db = await openDatabase(config.database, logger);
  const camera = await new CameraRepository(db.pool).create({ name: 'replay', mainUrl: 'rtsp://127.0.0.1:1/replay', district: 'Hoàn Kiếm', sampleFps: options.sampleFps });
  await new CameraAnalysisRepository(db.pool).set(camera.id, options.analysis);
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
    const written = await db.pool.query<{ minute: Date; line_id: string; direction: string; class: string; count: number }>(
      'SELECT minute, line_id, direction, class, count FROM traffic_counts ORDER BY minute, line_id, direction, class',
    );
    if ((await redis.xlen(resultsStreamKey(prefix, camera.id))) < frames.length) throw new Error('results missing from the stream');
    return written.rows.map((r) => ({ minute: r.minute.toISOString(), lineId: r.line_id, direction: r.direction, className: r.class, count: r.count }));
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
