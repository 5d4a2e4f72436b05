// /metrics in Prometheus text format: camera states and input fps (camera_health), the "frames" queue
// depth, frames dropped by backpressure, recent inference time per camera, alerts by type, severity and
// state, and HTTP request latencies.
import type { FastifyPluginAsync } from 'fastify';
import type { Pool } from 'pg';
import type { Redis } from 'ioredis';
import { Queue } from 'bullmq';
import { Gauge, Histogram, Registry } from 'prom-client';
import { MqttOutboxRepository } from '../store/mqttOutbox.ts';
import { CameraHealthRepository } from '../store/cameraHealth.ts';
import { AlertStore } from '../store/alerts.ts';
import { readSceneCuts } from './sceneCuts.ts';
import { redisKeys, redisQueues } from '../core/redis.ts';

export interface MetricsSources {
  pool: Pool;
  redis: Redis;
  redisPrefix: string;
}

const CAMERA_STATES = ['starting', 'live', 'reconnecting', 'failed', 'stopped', 'unknown'] as const;
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'prioritized'] as const;
/** Results read per camera to estimate inference time: recent enough to move, many enough to be stable. */
const RECENT_RESULTS = 50;

interface CameraRow {
  id: string;
  name: string;
  district: string;
  enabled: boolean;
}

/** The registry of one app: its own (never prom-client's global one) so several apps can live in a process. */
export function createMetrics(sources: MetricsSources) {
  const registry = new Registry();
  const httpSeconds = new Histogram({
    name: 'ioc_http_request_duration_seconds',
    help: 'HTTP request latency by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const cameraState = new Gauge({
    name: 'ioc_camera_state',
    help: '1 for the current state of each camera (latest camera_health row; unknown when none yet)',
    labelNames: ['camera_id', 'district', 'state'],
    registers: [registry],
  });
  const camerasByState = new Gauge({
    name: 'ioc_cameras',
    help: 'Cameras per state',
    labelNames: ['state'],
    registers: [registry],
  });
  const inputFps = new Gauge({
    name: 'ioc_camera_input_fps',
    help: 'Input frame rate ffmpeg reports per camera',
    labelNames: ['camera_id'],
    registers: [registry],
  });
  const queueJobs = new Gauge({
    name: 'ioc_frames_queue_jobs',
    help: 'Jobs of the BullMQ "frames" queue per state',
    labelNames: ['state'],
    registers: [registry],
  });
  const framesWaiting = new Gauge({
    name: 'ioc_frames_waiting',
    help:
      "Frames of a camera waiting for a worker: the frame sink's per-camera backlog, at most queue.maxWaitingPerCamera " +
      '(ioc_frames_queue_jobs also holds jobs of frames already dropped until the sink removes them)',
    labelNames: ['camera_id'],
    registers: [registry],
  });
  const dropped = new Gauge({
    name: 'ioc_frames_dropped_total',
    help: 'Frames dropped by backpressure per camera since the counter was created (monotonic)',
    labelNames: ['camera_id'],
    registers: [registry],
  });
  const inferenceMs = new Gauge({
    name: 'ioc_inference_ms',
    help: `Inference time (preprocess + model + decode) over the last ${RECENT_RESULTS} results per camera`,
    labelNames: ['camera_id', 'stat'],
    registers: [registry],
  });
  const scrapeErrors = new Gauge({
    name: 'ioc_metrics_source_up',
    help: '1 when the source of a group of series answered this scrape, 0 when it failed (its series are stale)',
    labelNames: ['source'],
    registers: [registry],
  });
  const alertsNow = new Gauge({
    name: 'ioc_alerts',
    help: 'Stored alerts by type, severity, lifecycle state and whether the condition still holds (active)',
    labelNames: ['type', 'severity', 'state', 'active'],
    registers: [registry],
  });
  const alertsRaised = new Gauge({
    name: 'ioc_alerts_raised_total',
    help: 'Alerts raised since the database was created, by type and severity (rate() of it is the alert rate)',
    labelNames: ['type', 'severity'],
    registers: [registry],
  });
  const sceneCuts = new Gauge({
    name: 'ioc_scene_cuts_total',
    help: 'Frames that did not continue the previous one (every track ended there), per camera and reason, since its analysis state began',
    labelNames: ['camera_id', 'reason'],
    registers: [registry],
  });
  const rulePrecision = new Gauge({
    name: 'ioc_alert_rule_precision',
    help: 'Per camera and rule: alerts confirmed (acknowledged, resolved) / (confirmed + dismissed as a false alarm); absent before any was judged',
    labelNames: ['camera_id', 'rule_id', 'type'],
    registers: [registry],
  });
  const alertsJudged = new Gauge({
    name: 'ioc_alerts_judged_total',
    help: 'Alerts judged by officers per camera and rule: verdict confirmed (acknowledged, resolved) or dismissed (false alarm)',
    labelNames: ['camera_id', 'rule_id', 'type', 'verdict'],
    registers: [registry],
  });
  const mqttPending = new Gauge({
    name: 'ioc_mqtt_outbox_pending',
    help: 'MQTT messages written but not yet acknowledged by the broker (grows while the broker is away)',
    registers: [registry],
  });
  const mqttOutbox = new MqttOutboxRepository(sources.pool);
  const health = new CameraHealthRepository(sources.pool);
  const alerts = new AlertStore(sources.pool);
  let queue: Queue | null = null;

  async function collectCameras(): Promise<CameraRow[]> {
    const cameras = (await sources.pool.query<CameraRow>('SELECT id, name, district, enabled FROM cameras')).rows;
    const latest = await health.latest();
    cameraState.reset();
    camerasByState.reset();
    inputFps.reset();
    const perState = new Map<string, number>(CAMERA_STATES.map((s) => [s, 0]));
    for (const camera of cameras) {
      const row = latest.get(camera.id);
      const state = row?.state ?? (camera.enabled ? 'unknown' : 'stopped');
      cameraState.set({ camera_id: camera.id, district: camera.district, state }, 1);
      perState.set(state, (perState.get(state) ?? 0) + 1);
      if (row?.inputFps !== null && row?.inputFps !== undefined) inputFps.set({ camera_id: camera.id }, row.inputFps);
    }
    for (const [state, count] of perState) camerasByState.set({ state }, count);
    return cameras;
  }

  async function collectQueue(): Promise<void> {
    queue ??= new Queue(redisQueues.frames, { connection: sources.redis, prefix: sources.redisPrefix });
    const counts = await queue.getJobCounts(...QUEUE_STATES);
    for (const state of QUEUE_STATES) queueJobs.set({ state }, counts[state] ?? 0);
    dropped.reset();
    // The frame sink's per-camera drop counters (inference/frameSink.ts), read here without importing inference/.
    for (const [cameraId, count] of Object.entries(
      await sources.redis.hgetall(redisKeys.droppedFrames(sources.redisPrefix)),
    )) {
      dropped.set({ camera_id: cameraId }, Number(count));
    }
  }

  async function collectAlerts(): Promise<void> {
    const rows = await alerts.countsForMetrics();
    alertsNow.reset();
    alertsRaised.reset();
    const raised = new Map<string, { type: string; severity: string; count: number }>();
    for (const row of rows) {
      alertsNow.set(
        { type: row.type, severity: row.severity, state: row.state, active: String(row.active) },
        row.count,
      );
      const key = `${row.type}\u0000${row.severity}`;
      const sum = raised.get(key) ?? { type: row.type, severity: row.severity, count: 0 };
      sum.count += row.count;
      raised.set(key, sum);
    }
    for (const { type, severity, count } of raised.values()) alertsRaised.set({ type, severity }, count);
  }

  async function collectPrecision(): Promise<void> {
    const rows = await alerts.precision({ districts: null });
    rulePrecision.reset();
    alertsJudged.reset();
    for (const row of rows) {
      const labels = { camera_id: row.cameraId, rule_id: row.ruleId, type: row.type };
      alertsJudged.set({ ...labels, verdict: 'confirmed' }, row.confirmed);
      alertsJudged.set({ ...labels, verdict: 'dismissed' }, row.dismissed);
      if (row.precision !== null) rulePrecision.set(labels, row.precision);
    }
  }

  async function collectSceneCuts(): Promise<void> {
    const totals = await readSceneCuts(sources.redis, sources.redisPrefix);
    sceneCuts.reset();
    for (const [cameraId, camera] of totals) {
      for (const [reason, count] of Object.entries(camera.byReason))
        sceneCuts.set({ camera_id: cameraId, reason }, count);
    }
  }

  async function collectBacklog(cameras: readonly CameraRow[]): Promise<void> {
    framesWaiting.reset();
    const pipeline = sources.redis.pipeline();
    for (const camera of cameras) pipeline.zcard(redisKeys.waitingFrames(sources.redisPrefix, camera.id));
    const replies = (await pipeline.exec()) ?? [];
    cameras.forEach((camera, i) => {
      const [err, count] = replies[i] ?? [new Error('no reply'), null];
      if (err) throw err;
      framesWaiting.set({ camera_id: camera.id }, Number(count));
    });
  }

  async function collectInference(cameras: readonly CameraRow[]): Promise<void> {
    inferenceMs.reset();
    for (const camera of cameras) {
      const entries = await sources.redis.xrevrange(
        redisKeys.results(sources.redisPrefix, camera.id),
        '+',
        '-',
        'COUNT',
        RECENT_RESULTS,
      );
      const times = entries.map(([, fields]) => inferenceMsOf(fields)).filter((ms): ms is number => ms !== null);
      if (times.length === 0) continue;
      inferenceMs.set({ camera_id: camera.id, stat: 'mean' }, times.reduce((a, b) => a + b, 0) / times.length);
      inferenceMs.set({ camera_id: camera.id, stat: 'max' }, Math.max(...times));
    }
  }

  return {
    registry,
    observeRequest(method: string, route: string, statusCode: number, seconds: number) {
      httpSeconds.observe({ method, route, status_code: String(statusCode) }, seconds);
    },
    /** Refreshes every gauge from its source; a failed source is reported by ioc_metrics_source_up, never a 500. */
    async render(): Promise<string> {
      let cameras: CameraRow[] = [];
      const run = async (source: string, step: () => Promise<void>) => {
        try {
          await step();
          scrapeErrors.set({ source }, 1);
        } catch {
          scrapeErrors.set({ source }, 0);
        }
      };
      await run('postgres', async () => void (cameras = await collectCameras()));
      await run('queue', collectQueue);
      await run('backlog', () => collectBacklog(cameras));
      await run('results', () => collectInference(cameras));
      await run('alerts', collectAlerts);
      await run('sceneCuts', collectSceneCuts);
      await run('precision', collectPrecision);
      await run('mqtt', async () => mqttPending.set(await mqttOutbox.pendingCount()));
      return registry.metrics();
    },
    async close() {
      const closing = queue;
      queue = null;
      await closing?.close().catch(() => undefined);
    },
  };
}

/** inferenceMs of one results-stream entry (inference/results.ts: one field "result" holding the JSON). */
function inferenceMsOf(fields: string[]): number | null {
  const json = fields[fields.indexOf('result') + 1];
  if (!json) return null;
  try {
    const ms = (JSON.parse(json) as { inferenceMs?: unknown }).inferenceMs;
    return typeof ms === 'number' && Number.isFinite(ms) ? ms : null;
  } catch {
    return null;
  }
}

export type Metrics = ReturnType<typeof createMetrics>;

export const metricsPlugin: FastifyPluginAsync<{ metrics: Metrics }> = async (app, options) => {
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics (text exposition format)',
        response: { 200: { type: 'string' } },
      },
      // Camera ids and districts are in the series: a scraper uses an admin API key (bearer credentials).
      config: { access: 'metrics' },
    },
    async (_request, reply) => {
      const body = await options.metrics.render();
      return reply.type(options.metrics.registry.contentType).send(body);
    },
  );
};
