// The `api` process: PostgreSQL (migrated), Redis for change notifications and health, the fastify
// app listening on config http.host:port. Returns a handle whose close() releases everything.
import { evidenceRootOf, hlsRootOf } from '../core/paths.ts';
import type { Redis } from 'ioredis';
import type { Config } from '../core/config.ts';
import type { Logger } from '../core/logger.ts';
import { openDatabase } from '../store/database.ts';
import { CameraRepository } from '../store/cameras.ts';
import { CameraAnalysisRepository } from '../store/cameraAnalysis.ts';
import { TrafficCountStore } from '../store/trafficCounts.ts';
import { CameraHealthRepository } from '../store/cameraHealth.ts';
import { inputSizeProblem } from '../models/inputSize.ts';
import { manifestEntryFor } from '../models/modelFiles.ts';
import { buildAppWithServices } from './app.ts';
import { ensureFirstAdmin } from './bootstrapAdmin.ts';
import { createLiveFeed } from './liveFeed.ts';
import { createAlertFeed } from './alertFeed.ts';
import { createRedis, redisChannels } from '../core/redis.ts';

export interface ApiServer {
  url: string;
  close(): Promise<void>;
}

export async function startApiServer(config: Readonly<Config>, logger: Logger): Promise<ApiServer> {
  const db = await openDatabase(config.database, logger);
  const redis = createRedis(config.redis.url, 'request', { lazyConnect: true });
  redis.on('error', (err) => logger.warn({ err }, 'redis connection error'));
  await redis.connect().catch((err) => logger.warn({ err }, 'redis not reachable yet; retrying in background'));
  const liveFeed = createLiveFeed(config.redis.url, config.redis.prefix, logger);
  liveFeed.listen();
  const alertFeed = createAlertFeed(config.redis.url, config.redis.prefix, logger);
  const { app, access } = await buildAppWithServices({
    access: { pool: db.pool, auth: config.auth },
    liveFeed,
    alertFeed,
    evidenceRoot: evidenceRootOf(config),
    mqttBrokerUrl: config.mqtt.url,
    reports: config.reports,
    evidenceRetentionHours: config.alerts.evidenceRetentionHours,
    logger,
    cameras: new CameraRepository(db.pool),
    cameraHealth: new CameraHealthRepository(db.pool),
    counts: new TrafficCountStore(db.pool),
    cameraAnalysis: new CameraAnalysisRepository(db.pool),
    inputSizeProblem: (size) => inputSizeProblem(manifestEntryFor(config), size),
    hlsRoot: hlsRootOf(config),
    ffmpegPath: config.media.ffmpegPath,
    metrics: { pool: db.pool, redis, redisPrefix: config.redis.prefix },
    checks: {
      postgres: async () => void (await db.pool.query('SELECT 1')),
      redis: async () => void (await redis.ping()),
    },
    onCameraChange: (camera, change) => {
      redis
        .publish(redisChannels.cameraChanges(config.redis.prefix), JSON.stringify({ id: camera.id, change }))
        .catch((err) => logger.warn({ err }, 'could not notify camera change; ingest picks it up on its next poll'));
    },
  });
  try {
    await ensureFirstAdmin(access, config.auth, logger);
  } catch (err) {
    for (const step of [
      () => app.close(),
      () => liveFeed.close(),
      () => alertFeed.close(),
      () => redis.quit().then(() => undefined),
      () => db.close(),
    ])
      await step().catch(() => undefined);
    throw err;
  }
  const address = await app.listen({ host: config.http.host, port: config.http.port });
  let closed = false;
  return {
    url: address.replace('0.0.0.0', '127.0.0.1'),
    async close() {
      if (closed) return;
      closed = true;
      const steps = [
        () => app.close(),
        () => liveFeed.close(),
        () => alertFeed.close(),
        () => redis.quit().then(() => undefined),
        () => db.close(),
      ];
      for (const step of steps) await step().catch((err) => logger.warn({ err }, 'api close step failed'));
    },
  };
}
