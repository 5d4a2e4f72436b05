// A Redis and a PostgreSQL 15 cluster of a test's own, on free ports in temp dirs, that the test may stop,
// restart or crash mid-run; the machine's shared instances (6379, 5432) serve other test files and are never touched.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { stopChildProcess } from '../../core/childProcess.ts';
import { freePort } from '../../harness/freePort.ts';

const execFileAsync = promisify(execFile);
const REDIS_SERVER = '/usr/bin/redis-server';
const PG_BIN = '/usr/lib/postgresql/15/bin';
const READY_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 10_000;

export interface PrivateRedis {
  readonly url: string;
  readonly port: number;
  /** Graceful: SIGTERM, Redis writes and fsyncs its AOF, exits; resolves once it has. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data dir; resolves once it answers PING (AOF loaded). */
  start(): Promise<void>;
  restart(): Promise<void>;
  /** SIGKILL, as a machine losing the process: only what the AOF holds survives. */
  crash(): Promise<void>;
  /** Stops it and removes its data dir; idempotent. */
  close(): Promise<void>;
}

/** One PING over a raw socket: true once Redis answers +PONG (not -LOADING while it replays its AOF). */
function redisAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (chunk) => done(chunk.toString('utf8').startsWith('+PONG')));
  });
}

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = READY_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what} not ready after ${timeoutMs} ms`);
}

/**
 * AOF with an fsync per write: what a deployment should run (README "Resilience"), so a Redis restart, or a
 * crash of its process, loses no frame job, result, lease or checkpoint that a client was told was written.
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ioc-redis-'));
  let child: ChildProcess | null = null;
  let closing: Promise<void> | null = null;
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--daemonize', 'no', '--loglevel', 'warning'];
  const redis: PrivateRedis = {
    url: `redis://127.0.0.1:${port}`,
    port,
    async start() {
      if (child && child.exitCode === null && child.signalCode === null) return;
      child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'ignore', 'inherit'] });
      await until(`redis-server on ${port}`, () => redisAnswers(port));
    },
    async stop() {
      await stopChildProcess(child, STOP_GRACE_MS);
    },
    async restart() {
      await redis.stop();
      await redis.start();
    },
    async crash() {
      await stopChildProcess(child, STOP_GRACE_MS, 'SIGKILL');
    },
    close() {
      closing ??= (async () => {
        await redis.stop().catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
  try {
    await redis.start();
  } catch (err) {
    await redis.close();
    throw err;
  }
  return redis;
}

export interface PrivatePostgres {
  /** postgres://postgres@127.0.0.1:<port>/ioc */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** pg_ctl restart -m fast: every connection is killed, the server comes back; resolves once it accepts them. */
  restart(): Promise<void>;
  /** pg_ctl stop -m immediate: no shutdown checkpoint, WAL recovery at the next start (a crash, minus the machine). */
  crash(): Promise<void>;
  /** Stops it and removes the cluster; idempotent. */
  close(): Promise<void>;
}

/** pg_ctl as the postgres user (PostgreSQL refuses to run as root). */
async function pgCtl(dataDir: string, args: string[]): Promise<void> {
  await execFileAsync('runuser', ['-u', 'postgres', '--', join(PG_BIN, 'pg_ctl'), '-D', dataDir, ...args], { timeout: 60_000 });
}

/**
 * A fresh cluster: trust auth on 127.0.0.1 only, its socket in its own dir, fsync off (a test's data need not
 * survive the machine, only the server process), and a database `ioc` to hold the test schemas.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const port = await freePort();
  const root = mkdtempSync(join(tmpdir(), 'ioc-pg-'));
  const dataDir = join(root, 'data');
  const pgUser = await execFileAsync('id', ['-u', 'postgres']).then(({ stdout }) => Number(stdout.trim()));
  const pgGroup = await execFileAsync('id', ['-g', 'postgres']).then(({ stdout }) => Number(stdout.trim()));
  chownSync(root, pgUser, pgGroup);
  // pg_ctl hands -o to the server's command line; the values here hold no spaces or quotes.
  const serverOptions = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  const startArgs = ['-l', join(root, 'server.log'), '-o', serverOptions, '-w', '-t', '60'];
  let running = false;
  let closing: Promise<void> | null = null;
  const cluster: PrivatePostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/ioc`,
    port,
    async start() {
      await pgCtl(dataDir, ['start', ...startArgs]);
      running = true;
    },
    async stop() {
      if (!running) return;
      await pgCtl(dataDir, ['stop', '-m', 'fast', '-w']);
      running = false;
    },
    async restart() {
      await pgCtl(dataDir, ['restart', '-m', 'fast', ...startArgs]);
      running = true;
    },
    async crash() {
      if (!running) return;
      await pgCtl(dataDir, ['stop', '-m', 'immediate', '-w']);
      running = false;
    },
    close() {
      closing ??= (async () => {
        await pgCtl(dataDir, ['stop', '-m', 'immediate', '-w']).catch(() => undefined);
        running = false;
        rmSync(root, { recursive: true, force: true });
      })();
      return closing;
    },
  };
  try {
    await execFileAsync('runuser', ['-u', 'postgres', '--', join(PG_BIN, 'initdb'), '-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8'], { timeout: 120_000 });
    await cluster.start();
    const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
    await admin.connect();
    try {
      await admin.query('CREATE DATABASE ioc');
    } finally {
      await admin.end();
    }
  } catch (err) {
    const log = (() => {
      try {
        return readFileSync(join(root, 'server.log'), 'utf8').slice(-2000);
      } catch {
        return '';
      }
    })();
    await cluster.close();
    throw new Error(`private PostgreSQL did not start: ${(err as Error).message}\n${log}`);
  }
  return cluster;
}
