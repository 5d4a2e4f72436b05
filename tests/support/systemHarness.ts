// The api and ingest processes of one box, started in this test process on their own schema, Redis
// prefix, data folder and port, with every log line kept for the credential checks.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { loadConfig, type Config, type DeepPartial } from '../../core/config.ts';
import { startApiServer, type ApiServer } from '../../api/server.ts';
import { startIngestProcess } from '../../bin/ingestRole.ts';
import { captureLogger, type CapturedLogger } from './logCapture.ts';
import { TEST_DATABASE_URL, uniqueName } from './testDatabase.ts';
import { createRedis, redisKeys } from '../../core/redis.ts';

/** The first admin every system under test starts with (auth.bootstrapAdmin). */
export const SYSTEM_ADMIN = { username: 'admin', password: 'He-thong-IOC-2026' };

export interface SystemUnderTest {
  config: Readonly<Config>;
  api: ApiServer;
  logs: CapturedLogger;
  /** The bootstrap admin's bearer token; request() sends it. */
  adminToken: string;
  /** Logs a browser page's context in as the bootstrap admin (its session cookie). */
  authenticate(page: Page): Promise<void>;
  request(method: string, path: string, body?: unknown): Promise<{ status: number; json: any; text: string }>;
  close(): Promise<void>;
}

/**
 * The first admin must change the password from config before the pages open anything else: the system under
 * test is a box whose operator has done so. Changed away and back, so SYSTEM_ADMIN's password still logs in.
 */
async function settleFirstAdminPassword(url: string, token: string): Promise<void> {
  const change = (currentPassword: string, newPassword: string) =>
    fetch(`${url}/api/auth/password`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ currentPassword, newPassword }),
    });
  const interim = `${SYSTEM_ADMIN.password}-doi`;
  for (const [from, to] of [
    [SYSTEM_ADMIN.password, interim],
    [interim, SYSTEM_ADMIN.password],
  ] as const) {
    const response = await change(from, to);
    if (response.status !== 204) throw new Error(`bootstrap admin password change failed: HTTP ${response.status}`);
  }
}

/** Logs the first admin in and settles the password from config: the bearer token of that session. */
async function firstAdminSession(url: string): Promise<string> {
  const login = await fetch(`${url}/api/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(SYSTEM_ADMIN),
  });
  if (login.status !== 200) throw new Error(`bootstrap admin login failed: HTTP ${login.status}`);
  const adminToken = ((await login.json()) as { token: string }).token;
  await settleFirstAdminPassword(url, adminToken);
  return adminToken;
}

export interface StartOptions {
  /**
   * true (default): the first admin's password from config is changed (away and back) and adminToken opens a
   * session, as on a box whose operator has done so. false: nobody has logged in yet, adminToken is empty and
   * request()/authenticate() refuse; for the tests of that first login.
   */
  firstAdminReady?: boolean;
}

export async function startSystem(
  overrides: DeepPartial<Config> = {},
  options: StartOptions = {},
): Promise<SystemUnderTest> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ioc-system-'));
  const schema = uniqueName('sys');
  const prefix = uniqueName('iocsys');
  const config = loadConfig({
    env: { IOC_ASSETS: process.env.IOC_ASSETS },
    overrides: {
      logLevel: 'debug',
      dataDir,
      http: { host: '127.0.0.1', port: 0 },
      database: { url: TEST_DATABASE_URL, schema },
      redis: { prefix },
      rtmp: { enabled: false },
      auth: { bootstrapAdmin: SYSTEM_ADMIN, scryptCost: 1024 },
      ingest: {
        reconcileIntervalMs: 1000,
        backoffInitialMs: 500,
        backoffMaxMs: 2000,
        sourceTimeoutMs: 5000,
        healthIntervalMs: 1000,
      },
      ...overrides,
    } as unknown as DeepPartial<Config>,
  });
  const logs = captureLogger('debug');
  const api = await startApiServer(config, logs.logger.child({ role: 'api' }));
  const ingest = await startIngestProcess(config, logs.logger.child({ role: 'ingest' }));
  const adminToken = options.firstAdminReady === false ? '' : await firstAdminSession(api.url);
  const ready = () => {
    if (!adminToken)
      throw new Error('startSystem({}, { firstAdminReady: false }): no admin session; the test logs in itself');
  };
  return {
    config,
    api,
    logs,
    adminToken,
    async authenticate(page) {
      ready();
      await page
        .context()
        .addCookies([{ name: 'ioc_session', value: adminToken, url: api.url, httpOnly: true, sameSite: 'Strict' }]);
    },
    async request(method, path, body) {
      ready();
      const auth = { authorization: `Bearer ${adminToken}` };
      const response = await fetch(`${api.url}${path}`, {
        method,
        headers: body === undefined ? auth : { ...auth, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      let json: unknown = null;
      try {
        json = JSON.parse(text);
      } catch {
        // not JSON (a playlist, a JPEG)
      }
      return { status: response.status, json, text };
    },
    async close() {
      await ingest.close();
      await api.close();
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => admin.end());
      const redis = createRedis(config.redis.url, 'request');
      const keys = await redis.keys(redisKeys.all(prefix));
      if (keys.length) await redis.del(...keys);
      await redis.quit();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `probe` until it returns a truthy value, or fails after `timeoutMs` saying what it waited for. */
export { waitFor } from '../../harness/waitFor.ts';
