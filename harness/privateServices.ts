// A Redis and a PostgreSQL 15 cluster of a test's own, on free ports in temp dirs, that the test may stop,
// restart or crash mid-run; the machine's shared instances (6379, 5432) serve other test files and are never touched.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { stopChildProcess } from '../core/childProcess.ts';
import { freePort } from './freePort.ts';

const execFileAsync = promisify(execFile);
const REDIS_SERVER = '/usr/bin/redis-server';
const PG_BIN = '/usr/lib/postgresql/15/bin';
const READY_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 10_000;

/**
 * Where a private service runs: by default this machine's loopback; a multi-host test puts it on a host of
 * its own (a network namespace) and its address there, with `launch` wrapping each command (ip netns exec).
 */
export interface ServicePlacement {
  listenAddress: string;
  launch(command: string, args: readonly string[]): [string, string[]];
}

const LOOPBACK: ServicePlacement = { listenAddress: '127.0.0.1', launch: (command, args) => [command, [...args]] };

/** A server of a test's own that the test may stop, restart or crash mid-run. */
export interface PrivateService {
  readonly url: string;
  readonly port: number;
  /** Graceful: the server finishes its writes and exits; resolves once it has. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data dir; resolves once it accepts clients. */
  start(): Promise<void>;
  restart(): Promise<void>;
  /** As a machine losing the process: only what the server had made durable survives. */
  crash(): Promise<void>;
  /** Stops it and removes its data dir; idempotent. */
  close(): Promise<void>;
}

/**
 * Redis: stop is SIGTERM (it writes and fsyncs its AOF), start resolves once it answers PING (AOF loaded), crash
 * is SIGKILL (only what the AOF holds survives).
 */
export type PrivateRedis = PrivateService;

/** One PING over a raw socket: true once Redis answers +PONG (not -LOADING while it replays its AOF). */
function redisAnswers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
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
export async function startPrivateRedis(placement: ServicePlacement = LOOPBACK): Promise<PrivateRedis> {
  const host = placement.listenAddress;
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ioc-redis-'));
  let child: ChildProcess | null = null;
  let closing: Promise<void> | null = null;
  const args = [
    '--port',
    String(port),
    '--bind',
    host,
    '--dir',
    dir,
    '--appendonly',
    'yes',
    '--appendfsync',
    'always',
    '--save',
    '',
    '--daemonize',
    'no',
    '--loglevel',
    'warning',
    // Protected mode refuses every client but loopback's: on a test network's host the other hosts are the clients.
    ...(host === '127.0.0.1' ? [] : ['--protected-mode', 'no']),
  ];
  const redis: PrivateRedis = {
    url: `redis://${host}:${port}`,
    port,
    async start() {
      if (child && child.exitCode === null && child.signalCode === null) return;
      // ip netns exec execs the server in place: the child's pid is redis-server's.
      const [command, launchArgs] = placement.launch(REDIS_SERVER, args);
      child = spawn(command, launchArgs, { stdio: ['ignore', 'ignore', 'inherit'] });
      await until(`redis-server on ${host}:${port}`, () => redisAnswers(host, port));
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

/**
 * PostgreSQL 15 (url postgres://postgres@127.0.0.1:<port>/ioc): restart is pg_ctl restart -m fast (every
 * connection is killed, the server comes back), crash is pg_ctl stop -m immediate (no shutdown checkpoint, WAL
 * recovery at the next start: a crash, minus the machine).
 */
export type PrivatePostgres = PrivateService;

/** pg_ctl as the postgres user (PostgreSQL refuses to run as root), on the placement's host. */
async function pgCtl(placement: ServicePlacement, dataDir: string, args: string[]): Promise<void> {
  const [command, launchArgs] = placement.launch('runuser', [
    '-u',
    'postgres',
    '--',
    join(PG_BIN, 'pg_ctl'),
    '-D',
    dataDir,
    ...args,
  ]);
  await execFileAsync(command, launchArgs, { timeout: 60_000 });
}

/**
 * A fresh cluster: trust auth on 127.0.0.1 only, its socket in its own dir, fsync off (a test's data need not
 * survive the machine, only the server process), and a database `ioc` to hold the test schemas.
 */
export async function startPrivatePostgres(placement: ServicePlacement = LOOPBACK): Promise<PrivatePostgres> {
  const host = placement.listenAddress;
  const port = await freePort();
  const root = mkdtempSync(join(tmpdir(), 'ioc-pg-'));
  const dataDir = join(root, 'data');
  const pgUser = await execFileAsync('id', ['-u', 'postgres']).then(({ stdout }) => Number(stdout.trim()));
  const pgGroup = await execFileAsync('id', ['-g', 'postgres']).then(({ stdout }) => Number(stdout.trim()));
  chownSync(root, pgUser, pgGroup);
  // pg_ctl hands -o to the server's command line; the values here hold no spaces or quotes.
  const serverOptions = `-p ${port} -k ${root} -c listen_addresses=${host} -c fsync=off -c full_page_writes=off`;
  const startArgs = ['-l', join(root, 'server.log'), '-o', serverOptions, '-w', '-t', '60'];
  let running = false;
  let closing: Promise<void> | null = null;
  const cluster: PrivatePostgres = {
    url: `postgres://postgres@${host}:${port}/ioc`,
    port,
    async start() {
      await pgCtl(placement, dataDir, ['start', ...startArgs]);
      running = true;
    },
    async stop() {
      if (!running) return;
      await pgCtl(placement, dataDir, ['stop', '-m', 'fast', '-w']);
      running = false;
    },
    async restart() {
      await pgCtl(placement, dataDir, ['restart', '-m', 'fast', ...startArgs]);
      running = true;
    },
    async crash() {
      if (!running) return;
      await pgCtl(placement, dataDir, ['stop', '-m', 'immediate', '-w']);
      running = false;
    },
    close() {
      closing ??= (async () => {
        await pgCtl(placement, dataDir, ['stop', '-m', 'immediate', '-w']).catch(() => undefined);
        running = false;
        rmSync(root, { recursive: true, force: true });
      })();
      return closing;
    },
  };
  try {
    await execFileAsync(
      'runuser',
      [
        '-u',
        'postgres',
        '--',
        join(PG_BIN, 'initdb'),
        '-D',
        dataDir,
        '-A',
        'trust',
        '-U',
        'postgres',
        '--no-sync',
        '-E',
        'UTF8',
      ],
      { timeout: 120_000 },
    );
    // Clients on the host's own subnet (the other hosts of a multi-host test) are trusted as loopback is.
    if (host !== '127.0.0.1') appendFileSync(join(dataDir, 'pg_hba.conf'), 'host all all samenet trust\n');
    await cluster.start();
    const admin = new pg.Client({ connectionString: `postgres://postgres@${host}:${port}/postgres` });
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
