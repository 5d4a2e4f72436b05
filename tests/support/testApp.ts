// The fastify app on a fresh migrated schema, driven with inject(): what every API test starts from.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/app.ts';
import type { Camera } from '../../core/camera.ts';
import { CameraRepository } from '../../store/cameras.ts';
import { CameraHealthRepository } from '../../store/cameraHealth.ts';
import { CameraAnalysisRepository } from '../../store/cameraAnalysis.ts';
import { TrafficCountStore } from '../../store/trafficCounts.ts';
import { openTestDatabase, uniqueName } from './testDatabase.ts';
import { createLiveFeed } from '../../api/liveFeed.ts';
import { captureLogger, type CapturedLogger } from './logCapture.ts';
import { Redis } from 'ioredis';

export interface TestApp {
  app: FastifyInstance;
  db: Awaited<ReturnType<typeof openTestDatabase>>;
  hlsRoot: string;
  logs: CapturedLogger;
  changes: string[];
  /** Redis prefix of this app's live feed (publish on liveTracksChannel(redisPrefix, id)), queue and results. */
  redisPrefix: string;
  redis: Redis;
  close(): Promise<void>;
}

export async function createTestApp(): Promise<TestApp> {
  const db = await openTestDatabase();
  const hlsRoot = await mkdtemp(join(tmpdir(), 'ioc-hls-'));
  const logs = captureLogger('debug');
  const changes: string[] = [];
  const redisPrefix = uniqueName('iocapi');
  const liveFeed = createLiveFeed('redis://127.0.0.1:6379', redisPrefix, logs.logger);
  const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  const app = await buildApp({
    liveFeed,
    logger: logs.logger,
    cameras: new CameraRepository(db.pool),
    cameraHealth: new CameraHealthRepository(db.pool),
    counts: new TrafficCountStore(db.pool),
    cameraAnalysis: new CameraAnalysisRepository(db.pool),
    hlsRoot,
    metrics: { pool: db.pool, redis, redisPrefix },
    checks: { postgres: async () => void (await db.pool.query('SELECT 1')), redis: async () => void (await redis.ping()) },
    onCameraChange: (camera: Camera, change) => changes.push(`${change}:${camera.name}`),
  });
  return {
    app, db, hlsRoot, logs, changes, redisPrefix, redis,
    async close() {
      await app.close();
      await liveFeed.close();
      const keys = await redis.keys(`${redisPrefix}:*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
      await db.drop();
      await rm(hlsRoot, { recursive: true, force: true });
    },
  };
}
