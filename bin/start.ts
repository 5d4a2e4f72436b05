// `ioc start`: the whole system on one box. Each role runs as its own supervised child process (a
// crashed worker must not take the wall down), restarted with backoff; --demo adds a sample camera,
// --workers N runs N worker processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Config } from '../core/config.ts';
import type { Logger } from '../core/logger.ts';
import { stopChildProcess } from '../core/childProcess.ts';
import { openDatabase } from '../store/database.ts';
import { UserRepository } from '../store/users.ts';
import { ROLES, type Role } from './roles.ts';
import { startDemoCamera, type DemoCamera } from './demoCamera.ts';
import { DEMO_DISTRICTS, DistrictRepository } from '../store/districts.ts';
import type { StartOptions } from './startFlags.ts';

const ENTRY = fileURLToPath(new URL('./ioc.ts', import.meta.url));
const RESTART_BACKOFF_MS = [500, 1000, 2000, 5000, 10000];
const STOP_GRACE_MS = 8000;

interface Child {
  role: Role;
  process: ChildProcess | null;
  restarts: number;
  startedAtMs: number;
  timer: NodeJS.Timeout | null;
}

export async function startAll(config: Readonly<Config>, logger: Logger, options: StartOptions): Promise<void> {
  const db = await openDatabase(config.database, logger);
  let demo: DemoCamera | null = null;
  let firstAdminPassword: string | null = null;
  try {
    if (options.demo) {
      await new DistrictRepository(db.pool).seedIfEmpty(DEMO_DISTRICTS);
      demo = await startDemoCamera(config, db.pool, logger);
    }
    // The embedded default has no operator to configure a first admin: make one, shown once below.
    if (options.demo && !config.auth.bootstrapAdmin.password && (await new UserRepository(db.pool).count()) === 0) {
      firstAdminPassword = randomBytes(12).toString('base64url');
    }
  } finally {
    await db.close();
  }
  const childEnv = firstAdminPassword
    ? { ...process.env, IOC_AUTH_BOOTSTRAP_ADMIN_PASSWORD: firstAdminPassword }
    : process.env;

  let stopping = false;
  const roles = ROLES.flatMap((role) =>
    role === 'worker' ? Array.from({ length: options.workers }, () => role) : [role],
  );
  const children = roles.map((role): Child => ({ role, process: null, restarts: 0, startedAtMs: 0, timer: null }));

  const launch = (child: Child) => {
    child.startedAtMs = Date.now();
    const proc = spawn(process.execPath, ['--import', 'tsx', ENTRY, child.role], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: childEnv,
    });
    child.process = proc;
    proc.on('exit', (code, signal) => {
      child.process = null;
      if (stopping) return;
      // A child that ran for a minute earns a fresh backoff.
      if (Date.now() - child.startedAtMs > 60_000) child.restarts = 0;
      const delayMs = RESTART_BACKOFF_MS[Math.min(child.restarts, RESTART_BACKOFF_MS.length - 1)]!;
      child.restarts++;
      logger.error({ role: child.role, code, signal, restartInMs: delayMs }, 'process exited; restarting');
      child.timer = setTimeout(() => launch(child), delayMs);
    });
  };
  children.forEach(launch);

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping all processes');
    for (const child of children) if (child.timer) clearTimeout(child.timer);
    await Promise.all(children.map((child) => stopChildProcess(child.process, STOP_GRACE_MS)));
    await demo?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  const wallUrl = await waitForApi(config);
  const host = config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host;
  process.stdout.write(
    `\nIOC Vision is up.\n  Wall:     ${wallUrl}\n  API docs: http://${host}:${config.http.port}/docs\n` +
      (demo ? `  Demo camera: ${demo.name} (${demo.publicUrl})\n` : '') +
      `  Workers:  ${options.workers} process${options.workers === 1 ? '' : 'es'} (--workers N for more)\n` +
      (firstAdminPassword
        ? `  First login: ${config.auth.bootstrapAdmin.username} / ${firstAdminPassword}  (shown once; change it after logging in)\n`
        : '') +
      '  Stop with Ctrl+C.\n\n',
  );
}

async function waitForApi(config: Readonly<Config>): Promise<string> {
  const host = config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host;
  const base = `http://${host}:${config.http.port}`;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${base}/health`);
      if (response.status === 200 || response.status === 503) return `${base}/`;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`the api did not answer on ${base} within 120 s`);
}
