// buildApp(): the fastify application with every plugin registered, apart from listen() so tests
// drive it with inject(). Shared things (repositories, checks) come in as options, never globals.
import { fileURLToPath } from 'node:url';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifyWebsocket from '@fastify/websocket';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { TypeBoxValidatorCompiler, registerAjvFormats, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Logger } from '../core/logger.ts';
import { loadConfig } from '../core/config.ts';
import type { Camera } from '../core/camera.ts';
import type { CameraRepository } from '../store/cameras.ts';
import { camerasPlugin, type CameraHealthSource } from './cameras.ts';
import { countsPlugin } from './counts.ts';
import { congestionPlugin } from './congestion.ts';
import { geometryNamesPlugin } from './geometryNames.ts';
import { cameraAnalysisPlugin } from './cameraAnalysis.ts';
import { cameraFramePlugin } from './cameraFrame.ts';
import { cameraProbePlugin } from './cameraProbe.ts';
import { livePlugin } from './live.ts';
import type { LiveFeed } from './liveFeed.ts';
import type { CameraAnalysisRepository } from '../store/cameraAnalysis.ts';
import type { TrafficCountStore } from '../store/trafficCounts.ts';
import { mediaPlugin } from './media.ts';
import { healthPlugin, type DependencyCheck } from './health.ts';
import { registerErrorHandler } from './errorHandler.ts';
import { registerRefusalAudit } from './refusalAudit.ts';
import { districtsPlugin, registerDistrictCheck } from './districts.ts';
import { DistrictRepository } from '../store/districts.ts';
import { createMetrics, metricsPlugin, type MetricsSources } from './metrics.ts';
import { readSceneCuts } from './sceneCuts.ts';
import { readAnalysisActivity } from './analysisHealth.ts';
import { createAccessServices, type AccessOptions, type AccessServices } from './accessServices.ts';
import { registerAuthentication } from './authenticate.ts';
import { authPlugin } from './auth.ts';
import { usersPlugin } from './users.ts';
import { apiKeysPlugin } from './apiKeys.ts';
import { auditPlugin } from './audit.ts';
import { webhooksPlugin } from './webhooks.ts';
import { WebhookRepository } from '../store/webhooks.ts';
import { alertsPlugin } from './alerts.ts';
import { alertEvidencePlugin } from './alertEvidence.ts';
import { alertRulesPlugin } from './alertRules.ts';
import type { AlertFeed } from './alertFeed.ts';
import { AlertStore } from '../store/alerts.ts';
import { AlertRulesRepository } from '../store/alertRules.ts';
import { asyncApiPlugin } from './asyncapi/plugin.ts';
import { reportsPlugin } from './reports.ts';
import { ReportMaker, type ReportSettings } from '../reports/reportMaker.ts';

export interface AppOptions {
  logger: Logger;
  cameras: CameraRepository;
  cameraHealth: CameraHealthSource;
  counts: TrafficCountStore;
  cameraAnalysis: CameraAnalysisRepository;
  hlsRoot: string;
  ffmpegPath?: string;
  /** Live tracks for the wall overlay; the route is absent without it. */
  liveFeed?: LiveFeed;
  checks: Record<string, DependencyCheck>;
  /** Where /metrics reads camera health, the frames queue and inference results. */
  metrics: MetricsSources;
  /** Users, sessions, API keys, login throttle and audit log (PostgreSQL) and the auth config. */
  access: AccessOptions;
  onCameraChange?: (camera: Camera, change: 'created' | 'updated' | 'deleted') => void;
  /** Alert evidence clips, `<evidenceRoot>/<alertId>/` (core/paths.ts evidenceRootOf). */
  evidenceRoot: string;
  /** Snapshot and clip kept this long after an alert is closed (config alerts.evidenceRetentionHours). */
  evidenceRetentionHours?: number;
  /** Alert changes announced to every console and pushed over /api/live; without it, on refresh only. */
  alertFeed?: AlertFeed;
  /** Checks a camera's model input size against the configured model (cameras' analysis); unchecked without it. */
  inputSizeProblem?: (size: { widthPx: number; heightPx: number }) => string | null;
  /** The MQTT broker subscribers connect to (config mqtt.url), named in /asyncapi.json. Default mqtt://127.0.0.1:1883. */
  mqttBrokerUrl?: string;
  /** Report fonts, issuer (config reports); defaults when absent. */
  reports?: ReportSettings;
  /** Largest request body accepted; cameras and rules are small. */
  bodyLimitBytes?: number;
}

const PLAYER_DIR = fileURLToPath(new URL('../player/', import.meta.url));
const require = createRequire(import.meta.url);
const HLS_JS_DIR = dirname(require.resolve('hls.js/dist/hls.min.js'));
// chart.js exports no subpaths: find its dist/ from the package entry.
const CHART_JS_DIR = dirname(require.resolve('chart.js'));

let formatsRegistered = false;

export interface App {
  app: FastifyInstance;
  access: AccessServices;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  return (await buildAppWithServices(options)).app;
}

/** buildApp, also answering the access services (the server bootstraps the first admin with them). */
export async function buildAppWithServices(options: AppOptions): Promise<App> {
  if (!formatsRegistered) {
    registerAjvFormats();
    formatsRegistered = true;
  }
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimitBytes ?? 64 * 1024,
    // Errors fastify raises before routing (a URL that is not valid UTF-8) get the one error body too.
    frameworkErrors: (error, _request, reply) => {
      void (reply as unknown as FastifyReply)
        .status(400)
        .send({ error: { code: 'IOC_BAD_URL', message: error.message } });
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  // TypeBox checks the body as sent (no coercion, no silent removal of unknown fields → 400 naming them).
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  registerErrorHandler(app);
  const access = createAccessServices(options.access);
  registerAuthentication(app as unknown as FastifyInstance, access.sessions);
  const audit = access.audit;
  registerRefusalAudit(app as unknown as FastifyInstance, audit);
  const districts = new DistrictRepository(options.access.pool);
  registerDistrictCheck(app as unknown as FastifyInstance, districts);
  const metrics = createMetrics(options.metrics);
  app.addHook('onResponse', async (request, reply) => {
    // The route template (not the URL) keeps the label set bounded; unmatched URLs share one label.
    metrics.observeRequest(
      request.method,
      request.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });
  app.addHook('onClose', async () => metrics.close());

  await app.register(fastifySwagger, {
    openapi: {
      // 3.1: its schemas are JSON Schema 2020-12, which TypeBox writes (exclusiveMinimum as a number, const).
      openapi: '3.1.0',
      info: {
        title: 'IOC Vision API',
        version: '0.1.0',
        description: 'Cameras, live video, traffic counts and alerts of the IOC traffic module. Times are UTC.',
      },
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  await app.register(camerasPlugin, {
    prefix: '/api/cameras',
    cameras: options.cameras,
    health: options.cameraHealth,
    sceneCuts: () => readSceneCuts(options.metrics.redis, options.metrics.redisPrefix),
    analysisActivity: () => readAnalysisActivity(options.metrics.redis, options.metrics.redisPrefix),
    onChange: options.onCameraChange,
    audit,
  });
  await app.register(cameraAnalysisPlugin, {
    prefix: '/api/cameras',
    cameras: options.cameras,
    analysis: options.cameraAnalysis,
    onChange: options.onCameraChange,
    audit,
    inputSizeProblem: options.inputSizeProblem,
  });
  await app.register(cameraFramePlugin, {
    prefix: '/api/cameras',
    cameras: options.cameras,
    hlsRoot: options.hlsRoot,
    ffmpegPath: options.ffmpegPath ?? 'ffmpeg',
    audit,
  });
  await app.register(cameraProbePlugin, {
    prefix: '/api/cameras',
    cameras: options.cameras,
    ffmpegPath: options.ffmpegPath ?? 'ffmpeg',
    audit,
  });
  await app.register(countsPlugin, { prefix: '/api', counts: options.counts });
  await app.register(congestionPlugin, { prefix: '/api', counts: options.counts, analysis: options.cameraAnalysis });
  await app.register(geometryNamesPlugin, { prefix: '/api', analysis: options.cameraAnalysis });
  const alerts = new AlertStore(options.access.pool, { evidenceRetentionHours: options.evidenceRetentionHours });
  await app.register(alertsPlugin, { prefix: '/api/alerts', alerts, feed: options.alertFeed, audit });
  await app.register(alertEvidencePlugin, { prefix: '/api/alerts', alerts, evidenceRoot: options.evidenceRoot, audit });
  await app.register(alertRulesPlugin, {
    prefix: '/api/cameras',
    cameras: options.cameras,
    analysis: options.cameraAnalysis,
    rules: new AlertRulesRepository(options.access.pool),
    onChange: options.onCameraChange,
    audit,
  });
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });
  if (options.liveFeed) {
    await app.register(livePlugin, {
      prefix: '/api',
      feed: options.liveFeed,
      alertFeed: options.alertFeed,
      cameras: options.cameras,
      sessions: access.sessions,
      audit,
    });
  }
  await app.register(mediaPlugin, { prefix: '/hls', hlsRoot: options.hlsRoot, cameras: options.cameras, audit });
  await app.register(authPlugin, { prefix: '/api/auth', services: access });
  await app.register(usersPlugin, { prefix: '/api/users', services: access });
  await app.register(apiKeysPlugin, { prefix: '/api/keys', services: access });
  await app.register(auditPlugin, { prefix: '/api/audit', services: access });
  await app.register(districtsPlugin, { prefix: '/api/districts', districts, audit });
  await app.register(webhooksPlugin, {
    prefix: '/api/webhooks',
    webhooks: new WebhookRepository(options.access.pool),
    audit,
  });
  const reportMaker = new ReportMaker(options.access.pool, options.reports ?? loadConfig({ env: {} }).reports);
  app.addHook('onClose', async () => reportMaker.close());
  await app.register(reportsPlugin, { prefix: '/api/reports', maker: reportMaker });
  await app.register(asyncApiPlugin, { brokerUrl: options.mqttBrokerUrl ?? 'mqtt://127.0.0.1:1883' });
  await app.register(healthPlugin, { checks: options.checks });
  await app.register(metricsPlugin, { metrics });

  await app.register(fastifyStatic, { root: PLAYER_DIR, prefix: '/', index: ['wall.html'] });
  await app.register(fastifyStatic, { root: HLS_JS_DIR, prefix: '/vendor/hls/', decorateReply: false });
  await app.register(fastifyStatic, { root: CHART_JS_DIR, prefix: '/vendor/chart/', decorateReply: false });
  return { app: app as unknown as FastifyInstance, access };
}
