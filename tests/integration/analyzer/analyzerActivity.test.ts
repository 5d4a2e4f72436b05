// A camera that cannot do its job says so: the analyzer publishes the frame size and the newest detection
// of each camera it analyses, and the camera's health (API) names frames too small and minutes without detections.
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/logger.ts';
import { loadConfig } from '../../../core/config.ts';
import type { InferenceResult } from '../../../core/inferenceResult.ts';
import { TRAFFIC_CLASSES } from '../../../core/detections.ts';
import { startAnalyzerProcess, type AnalyzerProcess } from '../../../analyzer/process.ts';
import { CameraRepository } from '../../../store/cameras.ts';
import { readAnalysisActivity } from '../../../api/analysisHealth.ts';
import { createTestApp, type TestApp } from '../../support/testApp.ts';
import { TEST_DATABASE_URL } from '../../support/testDatabase.ts';
import { TEST_ANALYZER_SETTINGS, waitFor, writeResults } from './helpers.ts';
import { redisKeys } from '../../../core/redis.ts';

const logger = createLogger({ level: 'silent' });
const MOTORBIKE = TRAFFIC_CLASSES.indexOf('motorbike');

let t: TestApp | null = null;
let analyzer: AnalyzerProcess | null = null;

afterEach(async () => {
  await analyzer?.close();
  analyzer = null;
  await t?.close();
  t = null;
});

/** One result a second from startMs to endMs, of this frame size; a motorbike in the frames `detected` says so. */
function results(
  cameraId: string,
  frame: { widthPx: number; heightPx: number },
  startMs: number,
  endMs: number,
  detected: (capturedAtMs: number) => boolean,
): InferenceResult[] {
  const out: InferenceResult[] = [];
  for (let seq = 1, capturedAtMs = startMs; capturedAtMs <= endMs; seq++, capturedAtMs += 1000) {
    const hit = detected(capturedAtMs);
    const box = [frame.widthPx * 0.4, frame.heightPx * 0.4, frame.widthPx * 0.5, frame.heightPx * 0.6];
    out.push({
      cameraId,
      seq,
      capturedAtMs,
      enqueuedAtMs: capturedAtMs + 5,
      publishedAtMs: capturedAtMs + 40,
      frameWidthPx: frame.widthPx,
      frameHeightPx: frame.heightPx,
      detections: hit
        ? { boxes: box, scores: [0.9], classIds: [MOTORBIKE], trackIds: [-1] }
        : { boxes: [], scores: [], classIds: [], trackIds: [] },
      modelId: 'synthetic',
      inferenceMs: 1,
      regionCount: 1,
      workerId: 'test:0',
    });
  }
  return out;
}

describe('analysis health of a camera', () => {
  it('names frames too small and minutes without detections in the camera health', async () => {
    t = await createTestApp();
    const cameras = new CameraRepository(t.db.pool);
    const create = async (name: string) =>
      (await cameras.create({ name, mainUrl: 'rtsp://127.0.0.1:8554/x', district: 'Đống Đa', sampleFps: 1 })).id;
    const tinyId = await create('Camera 160×120');
    const quietId = await create('Ngã tư vắng');
    const busyId = await create('Ngã tư đông');
    const config = loadConfig({
      env: {},
      overrides: {
        database: { url: TEST_DATABASE_URL, schema: t.db.schema, poolSize: 4 },
        redis: { prefix: t.redisPrefix },
        analyzer: { ...TEST_ANALYZER_SETTINGS },
      },
    });
    analyzer = await startAnalyzerProcess(config, logger, { analyzerId: 'activity' });

    const nowMs = Math.floor(Date.now() / 1000) * 1000;
    const startMs = nowMs - 7 * 60_000;
    const hdFrame = { widthPx: 960, heightPx: 540 };
    const lastBusyDetectionMs = nowMs - 20_000;
    const lastQuietDetectionMs = nowMs - 6 * 60_000 - 30_000;
    const written = [
      ...results(tinyId, { widthPx: 160, heightPx: 120 }, startMs, nowMs, () => false),
      ...results(quietId, hdFrame, startMs, nowMs, (at) => at <= lastQuietDetectionMs),
      ...results(busyId, hdFrame, startMs, nowMs, (at) => at % 20_000 === 0 && at <= lastBusyDetectionMs),
    ];
    await writeResults(t.redis, t.redisPrefix, written);
    await waitFor(
      async () => {
        const activity = await readAnalysisActivity(t!.redis, t!.redisPrefix);
        return [tinyId, quietId, busyId].every((id) => activity.get(id)?.lastFrameAtMs === nowMs);
      },
      60_000,
      'every camera analysed up to now',
    );

    const health = async (id: string) => {
      const response = await t!.app.inject({ method: 'GET', url: `/api/cameras/${id}/health`, headers: t!.admin });
      expect(response.statusCode).toBe(200);
      return response.json().analysis;
    };
    const tiny = await health(tinyId);
    expect(tiny).toMatchObject({
      analysedFrameWidthPx: 160,
      analysedFrameHeightPx: 120,
      lastDetectionAt: null,
      lastAnalysedFrameAt: new Date(nowMs).toISOString(),
    });
    expect(tiny.analysisProblems).toEqual(['framesTooSmall', 'noDetections']);
    expect(tiny.minutesWithoutDetections).toBe(7);

    const quiet = await health(quietId);
    expect(quiet).toMatchObject({
      analysedFrameWidthPx: 960,
      analysedFrameHeightPx: 540,
      lastDetectionAt: new Date(Math.floor(lastQuietDetectionMs / 1000) * 1000).toISOString(),
    });
    expect(quiet.minutesWithoutDetections).toBe(6);
    expect(quiet.analysisProblems).toEqual(['noDetections']);

    const busy = await health(busyId);
    expect(busy.analysisProblems).toEqual([]);
    expect(busy.minutesWithoutDetections).toBe(0);
    expect(Date.parse(busy.lastDetectionAt)).toBeGreaterThan(nowMs - 60_000);

    // The wall reads the same fields from the camera list.
    const listed = await t.app.inject({ method: 'GET', url: '/api/cameras', headers: t.admin });
    const tinyListed = listed.json().items.find((c: { id: string }) => c.id === tinyId);
    expect(tinyListed.health).toMatchObject({
      analysedFrameWidthPx: 160,
      analysedFrameHeightPx: 120,
      analysisProblems: ['framesTooSmall', 'noDetections'],
    });
  });

  it('says nothing of minutes without detections once analysis has stopped, and nothing at all before it started', async () => {
    t = await createTestApp();
    const cameras = new CameraRepository(t.db.pool);
    const id = (
      await cameras.create({ name: 'Camera cũ', mainUrl: 'rtsp://127.0.0.1:8554/x', district: 'Đống Đa', sampleFps: 1 })
    ).id;
    const before = await t.app.inject({ method: 'GET', url: `/api/cameras/${id}/health`, headers: t.admin });
    expect(before.json().analysis).toEqual({
      analysedFrameWidthPx: null,
      analysedFrameHeightPx: null,
      lastAnalysedFrameAt: null,
      lastDetectionAt: null,
      minutesWithoutDetections: null,
      analysisProblems: [],
    });
    const oldMs = Date.now() - 3_600_000;
    await t.redis.hset(
      redisKeys.analysisActivity(t.redisPrefix),
      id,
      JSON.stringify({
        frameWidthPx: 960,
        frameHeightPx: 540,
        runStartedAtMs: oldMs - 600_000,
        lastFrameAtMs: oldMs,
        lastDetectionAtMs: null,
      }),
    );
    const stale = (await t.app.inject({ method: 'GET', url: `/api/cameras/${id}/health`, headers: t.admin })).json()
      .analysis;
    expect(stale).toMatchObject({ analysedFrameWidthPx: 960, minutesWithoutDetections: null, analysisProblems: [] });
  });
});
