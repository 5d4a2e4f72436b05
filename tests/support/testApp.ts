// The fastify app on a fresh migrated schema, driven with inject(): what every API test starts from.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildAppWithServices } from '../../api/app.ts';
import type { AccessServices } from '../../api/accessServices.ts';
import { hashSecret, newSecret } from '../../api/authenticate.ts';
import { PasswordHasher } from '../../api/passwords.ts';
import { loadConfig } from '../../core/config.ts';
import { inputSizeProblem } from '../../models/inputSize.ts';
import { findManifestEntry } from '../../models/manifest.ts';
import type { Role } from '../../core/access.ts';
import type { Camera } from '../../core/camera.ts';
import { CameraRepository } from '../../store/cameras.ts';
import { CameraHealthRepository } from '../../store/cameraHealth.ts';
import { CameraAnalysisRepository } from '../../store/cameraAnalysis.ts';
import { TrafficCountStore } from '../../store/trafficCounts.ts';
import { openTestDatabase, uniqueName } from './testDatabase.ts';
import { createLiveFeed } from '../../api/liveFeed.ts';
import { createAlertFeed } from '../../api/alertFeed.ts';
import { captureLogger, type CapturedLogger } from './logCapture.ts';
import type { Redis } from 'ioredis';
import { createRedis, redisChannels, redisKeys } from '../../core/redis.ts';

/** The auth config of test apps: real scrypt at the lowest cost the config allows, so tests stay quick. */
export const TEST_AUTH = loadConfig({ env: {}, overrides: { auth: { scryptCost: 1024 } } }).auth;
export const TEST_ADMIN_PASSWORD = 'Quan-tri-vien-2026';

export interface Session {
  userId: string;
  username: string;
  token: string;
  /** Authorization: Bearer <token>, for inject(). */
  headers: { authorization: string };
  /** The same session as a cookie header (what a page sends). */
  cookie: { cookie: string };
}

export interface TestApp {
  /** A province-wide admin's session, for tests that are not about access control. */
  admin: Session['headers'];
  adminSession: Session;
  access: AccessServices;
  hasher: PasswordHasher;
  /** A new user of this role and districts (null = province) with an open session. */
  loginAs(role: Role, districts: string[] | null, password?: string): Promise<Session>;
  app: FastifyInstance;
  db: Awaited<ReturnType<typeof openTestDatabase>>;
  hlsRoot: string;
  /** Alert evidence clips of this app (`<evidenceRoot>/<alertId>/index.m3u8`). */
  evidenceRoot: string;
  logs: CapturedLogger;
  changes: string[];
  /** Redis prefix of this app's live feed (publish on redisChannels.liveTracks(redisPrefix, id)), queue and results. */
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
  const alertFeed = createAlertFeed('redis://127.0.0.1:6379', redisPrefix, logs.logger);
  const evidenceRoot = await mkdtemp(join(tmpdir(), 'ioc-evidence-'));
  const redis = createRedis('redis://127.0.0.1:6379', 'request');
  const hasher = new PasswordHasher(TEST_AUTH.scryptCost);
  const { app, access } = await buildAppWithServices({
    liveFeed,
    alertFeed,
    evidenceRoot,
    logger: logs.logger,
    cameras: new CameraRepository(db.pool),
    cameraHealth: new CameraHealthRepository(db.pool),
    counts: new TrafficCountStore(db.pool),
    cameraAnalysis: new CameraAnalysisRepository(db.pool),
    // As api/server.ts does, against the default model (yolox_nano: multiples of 32 from 128 to 1920).
    inputSizeProblem: (size) => inputSizeProblem(findManifestEntry('yolox_nano')!, size),
    hlsRoot,
    metrics: { pool: db.pool, redis, redisPrefix },
    access: { pool: db.pool, auth: TEST_AUTH, hasher },
    checks: {
      postgres: async () => void (await db.pool.query('SELECT 1')),
      redis: async () => void (await redis.ping()),
    },
    onCameraChange: (camera: Camera, change) => changes.push(`${change}:${camera.name}`),
  });
  let users = 0;
  const loginAs = async (role: Role, districts: string[] | null, password = TEST_ADMIN_PASSWORD): Promise<Session> => {
    const username = `${role}-${++users}`;
    return openSession(
      access,
      await access.users.create({ username, role, districts, passwordHash: await hasher.hash(password) }),
    );
  };
  const adminSession = await loginAs('admin', null);
  return {
    app,
    db,
    hlsRoot,
    evidenceRoot,
    logs,
    changes,
    redisPrefix,
    redis,
    access,
    hasher,
    loginAs,
    adminSession,
    admin: adminSession.headers,
    async close() {
      await app.close();
      await liveFeed.close();
      await alertFeed.close();
      const keys = await redis.keys(redisKeys.all(redisPrefix));
      if (keys.length) await redis.del(...keys);
      await redis.quit();
      await db.drop();
      await rm(hlsRoot, { recursive: true, force: true });
      await rm(evidenceRoot, { recursive: true, force: true });
    },
  };
}

/** Opens a session for a user the way login does (random token, stored as its sha256). */
export async function openSession(access: AccessServices, user: { id: string; username: string }): Promise<Session> {
  const token = newSecret();
  await access.sessions.create(hashSecret(token), user.id);
  return {
    userId: user.id,
    username: user.username,
    token,
    headers: { authorization: `Bearer ${token}` },
    cookie: { cookie: `ioc_session=${token}` },
  };
}
