import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { CameraRepository } from '../../../store/cameras.ts';
import { CameraHealthRepository } from '../../../store/cameraHealth.ts';
import { createTestApp, type TestApp } from '../../support/testApp.ts';
import { AlertStore } from '../../../store/alerts.ts';
import type { AlertSignal } from '../../../core/alerts.ts';
import { redisKeys, redisQueues } from '../../../core/redis.ts';

/** The value of one series in a Prometheus text exposition, or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{(.*)\})? (.+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = Object.fromEntries([...(match[3] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(match[4]);
  }
  return undefined;
}

describe('/metrics, /health and /ready', () => {
  let t: TestApp;
  let liveId: string;
  let failedId: string;
  let queue: Queue;

  beforeAll(async () => {
    t = await createTestApp();
    const cameras = new CameraRepository(t.db.pool);
    liveId = (await cameras.create({ name: 'Live cam', mainUrl: 'rtsp://h/a', district: 'Ba Đình', sampleFps: 5 })).id;
    failedId = (await cameras.create({ name: 'Failed cam', mainUrl: 'rtsp://h/b', district: 'Đống Đa', sampleFps: 5 }))
      .id;
    const health = new CameraHealthRepository(t.db.pool);
    const base = {
      hlsMode: 'copy' as const,
      bitrateKbps: 2000,
      lastFrameAt: new Date(),
      restarts: 0,
      message: null,
      updatedAt: new Date(),
    };
    await health.record({ ...base, cameraId: liveId, state: 'live', inputFps: 25 });
    await health.record({ ...base, cameraId: failedId, state: 'failed', inputFps: null });
    await t.redis.hset(redisKeys.droppedFrames(t.redisPrefix), liveId, '7');
    const lastCutAtMs = Date.UTC(2026, 11, 6, 1, 0, 0);
    await t.redis.hset(
      redisKeys.sceneCuts(t.redisPrefix),
      liveId,
      JSON.stringify({
        byReason: { imageJump: 64, timeGap: 1, seqRestart: 0, timeBackwards: 0 },
        lastAtMs: lastCutAtMs,
        lastReason: 'imageJump',
      }),
    );
    for (const ms of [10, 20, 30]) {
      await t.redis.xadd(
        redisKeys.results(t.redisPrefix, liveId),
        '*',
        'result',
        JSON.stringify({ cameraId: liveId, inferenceMs: ms }),
      );
    }
    queue = new Queue(redisQueues.frames, { connection: t.redis, prefix: t.redisPrefix });
    await queue.add('frame', { x: 1 });
    await queue.add('frame', { x: 2 });
    // The frame sink's backlog of the live camera (inference/frameSink.ts: job ids scored by seq).
    await t.redis.zadd(redisKeys.waitingFrames(t.redisPrefix, liveId), 41, 'a:41', 42, 'a:42', 43, 'a:43');
    const alerts = new AlertStore(t.db.pool);
    const raise = (subject: string, type: AlertSignal['type'], severity: AlertSignal['severity']): AlertSignal => ({
      kind: 'raise',
      key: `k:${subject}`,
      cameraId: liveId,
      ruleId: type,
      type,
      severity,
      subject,
      startedAtMs: Date.now(),
      atMs: Date.now(),
      summary: 's',
      details: {},
    });
    const camera = { id: liveId, name: 'Live cam', district: 'Ba Đình' };
    await alerts.applySignals(camera, [
      raise('track:1', 'intrusion', 'critical'),
      raise('track:2', 'intrusion', 'critical'),
      raise('zone:a', 'crowd', 'warning'),
    ]);
    await alerts.applySignals(camera, [{ ...raise('zone:a', 'crowd', 'warning'), kind: 'end' }]);
    const open = (
      await alerts.list({
        fromMs: 0,
        toMs: Date.now() + 1000,
        limit: 10,
        offset: 0,
        districts: null,
        types: ['intrusion'],
      })
    ).items[0]!;
    await alerts.transition(open.id, 'acknowledge', { kind: 'user', name: 'officer' });
  });
  it("shows a camera's scene cuts in its health", async () => {
    const camera = (await t.app.inject({ headers: t.admin, method: 'GET', url: `/api/cameras/${liveId}` })).json<{
      health: Record<string, unknown>;
    }>();
    expect(camera.health).toMatchObject({
      state: 'live',
      sceneCuts: 65,
      lastSceneCutAt: '2026-12-06T01:00:00.000Z',
      lastSceneCutReason: 'imageJump',
    });
    const other = (await t.app.inject({ headers: t.admin, method: 'GET', url: `/api/cameras/${failedId}` })).json<{
      health: Record<string, unknown>;
    }>();
    expect(other.health).toMatchObject({ sceneCuts: 0, lastSceneCutAt: null });
  });

  it('turns dismissals as a false alarm into a per-rule precision, on /api/alerts/precision and /metrics', async () => {
    const alerts = new AlertStore(t.db.pool);
    const camera = { id: liveId, name: 'Live cam', district: 'Ba Đình' };
    const nowMs = Date.now();
    const signal = (n: number): AlertSignal => ({
      kind: 'raise',
      key: `ww:${n}`,
      cameraId: liveId,
      ruleId: 'nguoc-chieu',
      type: 'wrongWay',
      severity: 'warning',
      subject: `line:l:track:${n}`,
      startedAtMs: nowMs,
      atMs: nowMs,
      summary: 's',
      details: { lineId: 'l', trackId: n, className: 'motorbike', direction: 'in' },
    });
    await alerts.applySignals(camera, [signal(1), signal(2), signal(3)]);
    const precisionOf = async () =>
      (await t.app.inject({ headers: t.admin, method: 'GET', url: '/api/alerts/precision' }))
        .json<{ items: Array<Record<string, unknown>> }>()
        .items.find((r) => r.ruleId === 'nguoc-chieu');
    expect(await precisionOf()).toMatchObject({
      cameraId: liveId,
      type: 'wrongWay',
      confirmed: 0,
      dismissed: 0,
      unjudged: 3,
      precision: null,
    });
    const ids = (
      await alerts.list({ fromMs: 0, toMs: nowMs + 1000, limit: 10, offset: 0, districts: null, types: ['wrongWay'] })
    ).items.map((a) => a.id);
    const act = (id: string, action: string, payload: object) =>
      t.app.inject({ headers: t.admin, method: 'POST', url: `/api/alerts/${id}/${action}`, payload });
    expect((await act(ids[0]!, 'resolve', { note: 'đã xử lý' })).statusCode).toBe(200);
    expect((await act(ids[1]!, 'dismiss', { reason: 'xe máy đi đúng chiều, nhận nhầm' })).statusCode).toBe(200);
    expect(await precisionOf()).toMatchObject({ confirmed: 1, dismissed: 1, unjudged: 1, precision: 0.5 });
    expect((await act(ids[2]!, 'dismiss', { reason: 'cùng chiếc xe, vòng lặp video' })).statusCode).toBe(200);
    expect(await precisionOf()).toMatchObject({ confirmed: 1, dismissed: 2, unjudged: 0, precision: 0.333 });
    const text = (await t.app.inject({ headers: t.admin, method: 'GET', url: '/metrics' })).body;
    expect(
      sample(text, 'ioc_alert_rule_precision', { camera_id: liveId, rule_id: 'nguoc-chieu', type: 'wrongWay' }),
    ).toBe(0.333);
    expect(
      sample(text, 'ioc_alerts_judged_total', { camera_id: liveId, rule_id: 'nguoc-chieu', verdict: 'dismissed' }),
    ).toBe(2);
    expect(
      sample(text, 'ioc_alerts_judged_total', { camera_id: liveId, rule_id: 'nguoc-chieu', verdict: 'confirmed' }),
    ).toBe(1);
    expect(sample(text, 'ioc_alert_rule_precision', { camera_id: liveId, rule_id: 'crowd' })).toBeUndefined();
    expect(sample(text, 'ioc_metrics_source_up', { source: 'precision' })).toBe(1);
    // The message an API reader gets: Vietnamese by default, English when asked, from the same facts.
    const vi = (await t.app.inject({ headers: t.admin, method: 'GET', url: `/api/alerts/${ids[0]}` })).json<{
      alert: { message: string };
    }>();
    expect(vi.alert.message).toMatch(/^Xe máy #\d đi ngược chiều qua l \(in\)$/);
    const en = (await t.app.inject({ headers: t.admin, method: 'GET', url: `/api/alerts/${ids[0]}?lang=en` })).json<{
      alert: { message: string };
    }>();
    expect(en.alert.message).toMatch(/^Motorbike #\d crossed l the wrong way \(in\)$/);
  });

  afterAll(async () => {
    await queue?.close();
    await t?.close();
  });

  it('carries camera states, fps, queue depth, drops, inference ms and HTTP latencies', async () => {
    await t.app.inject({ headers: t.admin, method: 'GET', url: '/health' });
    const response = await t.app.inject({ headers: t.admin, method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    const text = response.body;
    expect(sample(text, 'ioc_camera_state', { camera_id: liveId, state: 'live', district: 'Ba Đình' })).toBe(1);
    expect(sample(text, 'ioc_camera_state', { camera_id: failedId, state: 'failed' })).toBe(1);
    expect(sample(text, 'ioc_cameras', { state: 'live' })).toBe(1);
    expect(sample(text, 'ioc_cameras', { state: 'failed' })).toBe(1);
    expect(sample(text, 'ioc_camera_input_fps', { camera_id: liveId })).toBe(25);
    expect(sample(text, 'ioc_frames_queue_jobs', { state: 'waiting' })).toBe(2);
    expect(sample(text, 'ioc_frames_waiting', { camera_id: liveId })).toBe(3);
    expect(sample(text, 'ioc_frames_waiting', { camera_id: failedId })).toBe(0);
    expect(sample(text, 'ioc_metrics_source_up', { source: 'backlog' })).toBe(1);
    expect(sample(text, 'ioc_frames_dropped_total', { camera_id: liveId })).toBe(7);
    expect(sample(text, 'ioc_inference_ms', { camera_id: liveId, stat: 'mean' })).toBe(20);
    expect(sample(text, 'ioc_inference_ms', { camera_id: liveId, stat: 'max' })).toBe(30);
    expect(sample(text, 'ioc_scene_cuts_total', { camera_id: liveId, reason: 'imageJump' })).toBe(64);
    expect(sample(text, 'ioc_scene_cuts_total', { camera_id: liveId, reason: 'timeGap' })).toBe(1);
    expect(sample(text, 'ioc_metrics_source_up', { source: 'sceneCuts' })).toBe(1);
    expect(
      sample(text, 'ioc_http_request_duration_seconds_count', { route: '/health', method: 'GET', status_code: '200' }),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'ioc_metrics_source_up', { source: 'postgres' })).toBe(1);
    expect(sample(text, 'ioc_metrics_source_up', { source: 'queue' })).toBe(1);
    expect(sample(text, 'ioc_alerts', { type: 'intrusion', severity: 'critical', state: 'new', active: 'true' })).toBe(
      1,
    );
    expect(
      sample(text, 'ioc_alerts', { type: 'intrusion', severity: 'critical', state: 'acknowledged', active: 'true' }),
    ).toBe(1);
    expect(sample(text, 'ioc_alerts', { type: 'crowd', severity: 'warning', state: 'new', active: 'false' })).toBe(1);
    expect(sample(text, 'ioc_alerts_raised_total', { type: 'intrusion', severity: 'critical' })).toBe(2);
    expect(sample(text, 'ioc_alerts_raised_total', { type: 'crowd', severity: 'warning' })).toBe(1);
    expect(sample(text, 'ioc_metrics_source_up', { source: 'alerts' })).toBe(1);
    // No publisher runs here: every alert change and health change waits in the MQTT outbox.
    expect(sample(text, 'ioc_mqtt_outbox_pending', {})).toBeGreaterThanOrEqual(3);
    expect(sample(text, 'ioc_metrics_source_up', { source: 'mqtt' })).toBe(1);
  });

  it('answers /health and /ready from real PostgreSQL and Redis checks', async () => {
    const health = await t.app.inject({ headers: t.admin, method: 'GET', url: '/health' });
    expect(health.json()).toMatchObject({ status: 'ok', checks: { postgres: { ok: true }, redis: { ok: true } } });
    const ready = await t.app.inject({ headers: t.admin, method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(200);
  });
});
