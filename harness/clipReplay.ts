// Replays a clip through the real pipeline without a camera: ffmpeg decodes it at the sample rate, frames
// go on the BullMQ queue with capture times from their place in the clip, a real inference worker detects,
// a real analyzer counts and alerts, and the stored rows (and each frame's detections) are read back.
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { deepMerge, loadConfig, type Config, type DeepPartial } from '../core/config.ts';
import type { CameraAnalysis } from '../core/cameraAnalysis.ts';
import type { AlertRule } from '../core/alerts.ts';
import { Detections, TRAFFIC_CLASSES } from '../core/detections.ts';
import { createLogger } from '../core/logger.ts';
import { RESULT_FIELD, type InferenceResult } from '../core/inferenceResult.ts';
import { BullmqFrameSink } from '../inference/frameSink.ts';
import { withMotionGating } from '../ingest/motionSink.ts';
import { startInferenceWorker } from '../inference/worker.ts';
import { setAnalysisPlan } from '../analyzer/analysisPlanWriter.ts';
import { startAnalyzerProcess } from '../analyzer/process.ts';
import { analysisPlanFor } from '../analyzer/analysisPlan.ts';
import { openDatabase } from '../store/database.ts';
import { CameraRepository } from '../store/cameras.ts';
import { CameraAnalysisRepository } from '../store/cameraAnalysis.ts';
import { AlertRulesRepository } from '../store/alertRules.ts';
import { readJpegSize } from '../core/jpegHeader.ts';
import type { DetectedBox } from './accuracyScore.ts';
import { decodeClipFrames } from './clipFrames.ts';
import type { PublishedFrame } from './crossingTrace.ts';
import { dropScratchSchema, SCRATCH_DATABASE_URL, uniqueName } from './scratchDatabase.ts';
import { waitFor } from './waitFor.ts';
import { createRedis, redisKeys } from '../core/redis.ts';

export interface ReplayOptions {
  clipPath: string;
  analysis: CameraAnalysis;
  sampleFps: number;
  frameWidthPx: number;
  /** Capture time of the clip's first frame (epoch ms, a minute boundary keeps rows predictable). */
  startMs: number;
  /** The camera's alert rules (none by default; camera-problem defaults apply as in production). */
  alertRules?: AlertRule[];
  /** Settings of the replay's worker and analyzer (model, input size, thresholds…) over the defaults. */
  config?: DeepPartial<Config>;
  /** Called as frames are analysed: (analysed, total). */
  onProgress?: (analysed: number, total: number) => void;
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

export interface StoredCount {
  minute: string;
  lineId: string;
  direction: string;
  className: string;
  count: number;
}

export interface Replayed {
  counts: StoredCount[];
  alerts: StoredAlert[];
  /** Each sampled frame's detections as the worker published them, by seq (frame i is at clip time i / sampleFps). */
  detections: DetectedBox[][];
  /** Each sampled frame as the worker published it (detections in the analysed frame's pixels), by seq. */
  published: PublishedFrame[];
  /** Mean model + pre/post-processing time per frame, as the worker measured it. */
  inferenceMsPerFrame: number;
  /**
   * CPU time of this process (queue, worker with its session threads, analyzer) per frame, from the first
   * frame queued to the last analysed: the whole path but the camera's own ffmpeg decode.
   */
  cpuMsPerFrame: number;
  frames: number;
  /** Frames by what the model ran on: the camera's whole plan, motion crops, or nothing (motion gating). */
  gating: { whole: number; crops: number; none: number };
}

/** The clip's frames as the camera's sampler would produce them (JPEG, at sampleFps, frameWidthPx wide). */
export function decodeClip(clipPath: string, sampleFps: number, widthPx: number): Promise<Buffer[]> {
  return decodeClipFrames(clipPath, { sampleFps, widthPx });
}

/** Stored counts of a replay (see replayWithAlerts for its alerts and detections too). */
export async function replayClip(options: ReplayOptions): Promise<StoredCount[]> {
  return (await replayWithAlerts(options)).counts;
}

export async function replayWithAlerts(options: ReplayOptions): Promise<Replayed> {
  const schema = uniqueName('replay');
  const prefix = uniqueName('iocreplay');
  const config: Readonly<Config> = loadConfig({
    env: { IOC_ASSETS: process.env.IOC_ASSETS },
    overrides: deepMerge(
      {
        logLevel: 'warn',
        database: { url: SCRATCH_DATABASE_URL, schema },
        redis: { prefix },
        // Nothing may be dropped by backpressure: the replay must see every frame every time.
        queue: { maxWaitingPerCamera: 1000, frameWaitMaxMs: 600_000, workerConcurrency: 1, resultsMaxLen: 100_000 },
        analyzer: { idleFlushMs: 1000, cameraListIntervalMs: 300, readBlockMs: 100 },
        // A replay has no live video to cut a clip from: evidence waits no longer than the replay.
        alerts: { clipBeforeMs: 0, clipAfterMs: 0 },
      },
      (options.config ?? {}) as Record<string, unknown>,
    ),
  });
  const logger = createLogger({ level: 'warn' });
  const db = await openDatabase(config.database, logger);
  const camera = await new CameraRepository(db.pool).create({
    name: 'replay',
    mainUrl: 'rtsp://127.0.0.1:1/replay',
    district: 'Hoàn Kiếm',
    sampleFps: options.sampleFps,
  });
  await new CameraAnalysisRepository(db.pool).set(camera.id, options.analysis);
  if (options.alertRules) await new AlertRulesRepository(db.pool).set(camera.id, { rules: options.alertRules });
  const frames = await decodeClip(options.clipPath, options.sampleFps, options.frameWidthPx);
  const redis = createRedis(config.redis.url, 'request');
  // The analyzer writes the camera's inference crops when it sees the first result; frames detected
  // before that would use the whole frame only, and how many depends on timing. Write the same plan first.
  const firstSize = readJpegSize(frames[0]!)!;
  await setAnalysisPlan(
    redis,
    prefix,
    camera.id,
    analysisPlanFor(options.analysis, firstSize, config.analyzer.cropMarginPx, config.analyzer.inferenceRegions),
  );
  const worker = await startInferenceWorker(config, logger);
  const analyzer = await startAnalyzerProcess(config, logger);
  // As ingest does: with motion gating on, the frames go through the motion finder on their way to the queue.
  const sink = withMotionGating(new BullmqFrameSink(config), config.motion);
  try {
    const intervalMs = 1000 / options.sampleFps;
    const cpuBefore = process.cpuUsage();
    for (const [seq, jpeg] of frames.entries()) {
      const size = readJpegSize(jpeg)!;
      await sink.push({
        cameraId: camera.id,
        seq,
        capturedAtMs: options.startMs + Math.round(seq * intervalMs),
        jpeg,
        widthPx: size.widthPx,
        heightPx: size.heightPx,
      });
    }
    // The clip ends here, as a camera's ffmpeg exits: the marker follows the last frame (its own seq after it).
    await sink.endSource({
      cameraId: camera.id,
      seq: frames.length,
      capturedAtMs: options.startMs + Math.round((frames.length - 1) * intervalMs),
    });
    await waitFor(
      'every frame analysed',
      async () => {
        const analysed = analyzer.cameraStats()[camera.id]?.framesProcessed ?? 0;
        options.onProgress?.(analysed, frames.length);
        return analysed >= frames.length;
      },
      Math.max(240_000, frames.length * 2000),
      100,
    );
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMsPerFrame = (cpu.user + cpu.system) / 1000 / frames.length;
    // The last minute is written by the idle flush once the stream goes quiet. On a loaded box a frame can take
    // longer than idleFlushMs, so an idle flush may already have happened mid-replay: wait for one after the end.
    const statsAtEnd = analyzer.cameraStats()[camera.id];
    const flushesAtEnd = statsAtEnd?.idleFlushes ?? 0;
    const commitsAtEnd = statsAtEnd?.idleCommits ?? 0;
    await waitFor(
      'the idle flush',
      async () => (analyzer.cameraStats()[camera.id]?.idleFlushes ?? 0) > flushesAtEnd,
      20_000,
      250,
    );
    // The idle flush also ends the open alerts; they are written by the commit that follows it.
    await waitFor(
      'the commit after the idle flush',
      async () => (analyzer.cameraStats()[camera.id]?.idleCommits ?? 0) > commitsAtEnd,
      20_000,
      100,
    );
    const written = await db.pool.query<{
      minute: Date;
      line_id: string;
      direction: string;
      class: string;
      count: number;
    }>(
      'SELECT minute, line_id, direction, class, count FROM traffic_counts ORDER BY minute, line_id, direction, class',
    );
    const results = await readResults(redis, redisKeys.results(prefix, camera.id));
    if (results.size < frames.length) throw new Error('results missing from the stream');
    const counts = written.rows.map((r) => ({
      minute: r.minute.toISOString(),
      lineId: r.line_id,
      direction: r.direction,
      className: r.class,
      count: r.count,
    }));
    const alerts = await readAlerts(db.pool);
    const scale = options.analysis.widthPx > 0 ? options.analysis.widthPx / firstSize.widthPx : 1;
    const detections = frames.map((_, seq) => toBoxes(results.get(seq)!, scale));
    const inferenceMsPerFrame = [...results.values()].reduce((sum, r) => sum + r.inferenceMs, 0) / results.size;
    const published = frames.map((_, seq) => {
      const r = results.get(seq)!;
      return {
        capturedAtMs: r.capturedAtMs,
        frameWidthPx: r.frameWidthPx,
        frameHeightPx: r.frameHeightPx,
        detections: r.detections,
        faintDetections: r.faintDetections,
        analysedRegions: r.analysedRegions,
      };
    });
    const gating = { whole: 0, crops: 0, none: 0 };
    for (const r of results.values()) {
      const regions = r.analysedRegions;
      gating[!regions ? 'whole' : regions.length > 0 ? 'crops' : 'none'] += 1;
    }
    return { counts, alerts, detections, published, inferenceMsPerFrame, cpuMsPerFrame, frames: frames.length, gating };
  } finally {
    await sink.close();
    await analyzer.close();
    await worker.close();
    const keys = await redis.keys(redisKeys.all(prefix));
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await db.close();
    await dropScratchSchema(schema);
  }
}

async function readResults(redis: Redis, key: string): Promise<Map<number, InferenceResult>> {
  const bySeq = new Map<number, InferenceResult>();
  const entries = await redis.xrange(key, '-', '+');
  for (const [, fields] of entries) {
    for (let i = 0; i + 1 < fields.length; i += 2) {
      if (fields[i] !== RESULT_FIELD) continue;
      const result = JSON.parse(fields[i + 1]!) as InferenceResult;
      bySeq.set(result.seq, result);
    }
  }
  return bySeq;
}

/** A result's detections in the analysis' pixels (the clip's own size when the analysis was drawn on it). */
function toBoxes(result: InferenceResult, scale: number): DetectedBox[] {
  const d = Detections.fromJSON(result.detections);
  const boxes: DetectedBox[] = [];
  for (let i = 0; i < d.length; i++) {
    const b = d.boxes.subarray(i * 4, i * 4 + 4);
    boxes.push({
      className: TRAFFIC_CLASSES[d.classIds[i]!]!,
      score: d.scores[i]!,
      box: [b[0]! * scale, b[1]! * scale, b[2]! * scale, b[3]! * scale],
    });
  }
  return boxes;
}

async function readAlerts(pool: Pool): Promise<StoredAlert[]> {
  const { rows } = await pool.query<{
    rule_id: string;
    type: string;
    subject: string;
    active: boolean;
    started_at: Date;
    ended_at: Date | null;
    details: Record<string, unknown>;
    has_snapshot: boolean;
  }>(
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
