// One bench run's system: its own PostgreSQL schema, Redis prefix and data dir, a real RTSP server looping
// the clips as N cameras, and the real processes (api, ingest, workers, analyzer) as children. close() removes it all.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Redis } from 'ioredis';
import type { CameraAnalysis } from '../core/cameraAnalysis.ts';
import { loadConfig, type Config } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import { stopChildProcess } from '../core/childProcess.ts';
import type { CameraAlertRules } from '../core/alerts.ts';
import { validateAlertRules } from '../alerts/validateRules.ts';
import { AlertRulesRepository } from '../store/alertRules.ts';
import { CameraAnalysisRepository } from '../store/cameraAnalysis.ts';
import { CameraRepository } from '../store/cameras.ts';
import { openDatabase } from '../store/database.ts';
import type { BenchOptions } from './options.ts';
import { startRtspServer, type RtspServer } from '../harness/rtspServer.ts';
import { subStreamClip } from '../harness/subStreamClip.ts';
import { freePort } from '../harness/freePort.ts';
import { closeAll } from '../harness/closeAll.ts';
import { spawnRole, type RoleName, type RoleProcess } from '../harness/spawnRole.ts';
import { createRedis, redisKeys } from '../core/redis.ts';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const STOP_GRACE_MS = 8000;
const LOG_TAIL_LINES = 40;

/** Drawn on a 1000×1000 frame and scaled to each clip: a counting line across the road, a zone below it. */
const BENCH_ANALYSIS: CameraAnalysis = {
  widthPx: 1000,
  heightPx: 1000,
  lines: [
    {
      id: 'bench-line',
      name: 'bench line',
      points: [
        { x: 100, y: 550 },
        { x: 950, y: 550 },
      ],
    },
  ],
  zones: [
    {
      id: 'bench-zone',
      name: 'bench zone',
      polygon: [
        { x: 0, y: 700 },
        { x: 1000, y: 700 },
        { x: 1000, y: 1000 },
        { x: 0, y: 1000 },
      ],
      areaM2: 400,
    },
  ],
  calibration: null,
};

/**
 * The alerted stage's trigger: a vehicle crossing 'bench-line' either way raises a line-mode wrong-way alert
 * whose startedAt is the capture time of the crossing frame. Both directions are forbidden (the line's default
 * names, analytics/lineCounter.ts: leftToRight 'in', rightToLeft 'out') so ordinary traffic of any clip raises,
 * whichever way it mostly drives; each crossing is its own alert (subject line:…:track:<id>).
 */
const BENCH_ALERT_RULES: CameraAlertRules = validateAlertRules(
  {
    rules: [
      { id: 'bench-wrong-way-in', type: 'wrongWay', lineId: 'bench-line', forbiddenDirection: 'in' },
      { id: 'bench-wrong-way-out', type: 'wrongWay', lineId: 'bench-line', forbiddenDirection: 'out' },
    ],
  },
  BENCH_ANALYSIS,
);

/** The api's first admin, as the bench's WebSocket client logs in. */
export interface BenchAdmin {
  username: string;
  password: string;
}

export interface BenchCamera {
  id: string;
  /** The RTSP mount, e.g. "cam1": what names its ffmpeg in the report. */
  mount: string;
  clip: string;
}

export class BenchStack {
  private closing: Promise<void> | null = null;

  private constructor(
    readonly config: Readonly<Config>,
    readonly cameras: BenchCamera[],
    readonly roles: RoleProcess[],
    private readonly rtsp: RtspServer,
    private readonly dataDir: string,
    readonly env: NodeJS.ProcessEnv,
    /** The api role's base URL, e.g. http://127.0.0.1:41234. */
    readonly apiUrl: string,
    readonly admin: BenchAdmin,
  ) {}

  /** Creates the schema, cameras (with their alert rules) and RTSP mounts, then starts the roles. */
  static async start(options: BenchOptions): Promise<BenchStack> {
    const id = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
    const dataDir = mkdtempSync(join(tmpdir(), 'ioc-bench-'));
    const httpPort = await freePort();
    const admin: BenchAdmin = { username: 'bench-admin', password: `Bench-${randomBytes(12).toString('hex')}` };
    const knobs: Record<string, string> = {
      IOC_DATABASE_SCHEMA: `bench_${id}`,
      IOC_REDIS_PREFIX: `ioc-bench-${id}`,
      IOC_DATA_DIR: dataDir,
      IOC_LOG_LEVEL: 'warn',
      IOC_RTMP_ENABLED: 'false',
      IOC_QUEUE_WORKER_CONCURRENCY: String(options.concurrency),
      IOC_QUEUE_MAX_WAITING_PER_CAMERA: String(options.queueBound),
      IOC_INFERENCE_INTRA_OP_THREADS: String(options.threads),
      IOC_INFERENCE_MODEL_ID: options.model,
      IOC_INGEST_JPEG_QUALITY: String(options.jpegQuality),
      IOC_INGEST_FRAME_WIDTH_PX: String(options.frameWidthPx),
      IOC_MOTION_GATING: String(options.motionGating),
      // A fresh schema has every report of the last periods due: the schedule's catch-up, 30 s after start, would
      // render them on the analyzer's event loop inside the measured window (~2 CPU s of PDF layout in a 25 s
      // window), a cost a running box pays once a day at the due hour, not per frame.
      IOC_REPORTS_SCHEDULE_ENABLED: 'false',
      // Every analysed batch publishes its newest frame's tracks: the bench's "analysed" timestamp.
      IOC_ANALYZER_LIVE_INTERVAL_MS: '0',
      // The api role, for the alerted stage (WebSocket delivery); its first admin is the bench's client.
      IOC_HTTP_HOST: '127.0.0.1',
      IOC_HTTP_PORT: String(httpPort),
      IOC_AUTH_BOOTSTRAP_ADMIN_USERNAME: admin.username,
      IOC_AUTH_BOOTSTRAP_ADMIN_PASSWORD: admin.password,
      // The cheapest scrypt the config allows, as tests do: one login, not a cost worth measuring.
      IOC_AUTH_SCRYPT_COST: '1024',
    };
    const env = { ...process.env, ...knobs };
    const config = loadConfig({ env });
    const assets = resolve(REPO_ROOT, config.assetsDir);
    const mounts: Record<string, string> = {};
    const subMounts: Record<string, string> = {};
    const cameras: BenchCamera[] = [];
    for (let i = 1; i <= options.cameras; i++) {
      const clip = options.clips[(i - 1) % options.clips.length]!;
      mounts[`cam${i}`] = join(assets, 'video', clip);
      if (options.subStreamWidthPx > 0) {
        subMounts[`cam${i}-sub`] = await subStreamClip(mounts[`cam${i}`]!, {
          widthPx: options.subStreamWidthPx,
          ...(options.subStreamFps > 0 ? { fps: options.subStreamFps } : {}),
          ffmpegPath: config.media.ffmpegPath,
        });
      }
    }
    const rtsp = await startRtspServer({ mounts: { ...mounts, ...subMounts } }).catch((err: unknown) => {
      rmSync(dataDir, { recursive: true, force: true });
      throw err;
    });
    const roles: RoleProcess[] = [];
    const stack = new BenchStack(config, cameras, roles, rtsp, dataDir, env, `http://127.0.0.1:${httpPort}`, admin);
    try {
      const db = await openDatabase(config.database, createLogger({ level: 'warn', name: 'bench' }));
      try {
        const repo = new CameraRepository(db.pool);
        const analyses = new CameraAnalysisRepository(db.pool);
        const alertRules = new AlertRulesRepository(db.pool);
        for (const [mount, path] of Object.entries(mounts)) {
          const camera = await repo.create({
            name: `bench ${mount}`,
            mainUrl: rtsp.url(mount),
            subUrl: subMounts[`${mount}-sub`] ? rtsp.url(`${mount}-sub`) : null,
            district: 'bench',
            sampleFps: options.sampleFps,
          });
          await analyses.set(camera.id, BENCH_ANALYSIS);
          await alertRules.set(camera.id, BENCH_ALERT_RULES);
          cameras.push({ id: camera.id, mount, clip: path.slice(path.lastIndexOf('/') + 1) });
        }
      } finally {
        await db.close();
      }
      // The api and the analyzer first: the alert feed and the cameras' leases and plans are ready before frames arrive.
      await stack.spawnRole('api');
      await stack.spawnRole('analyzer');
      for (let i = 1; i <= options.workers; i++) await stack.spawnRole('worker', `worker-${i}`);
      await stack.spawnRole('ingest');
      return stack;
    } catch (err) {
      await stack.close();
      throw err;
    }
  }

  /**
   * Starts the role without waiting for it to serve: at log level warn no role logs that it does, and the run's
   * start-up phase waits for frames and the alert feed instead.
   */
  private async spawnRole(role: RoleName, name: string = role): Promise<void> {
    await spawnRole({
      role,
      name,
      env: this.env,
      servingLine: null,
      logTailLines: LOG_TAIL_LINES,
      onSpawn: (proc) => this.roles.push(proc),
    });
  }

  /** The RTSP URL of a camera's mount: the same source the pipeline ingests. */
  sourceUrl(mount: string): string {
    return this.rtsp.url(mount);
  }

  /** Stops the roles (the RTSP server stays up for the side-by-side phases). */
  async stopRoles(): Promise<void> {
    await Promise.all(this.roles.map((r) => stopChildProcess(r.child, STOP_GRACE_MS)));
  }

  /** A role that exited while the bench runs is a failed run: its last log lines say why. */
  exitedRole(): RoleProcess | null {
    return this.roles.find((r) => r.child.exitCode !== null || r.child.signalCode !== null) ?? null;
  }

  /** Stops the children (SIGTERM, then SIGKILL), the RTSP server, and removes the schema, keys and data. Idempotent. */
  close(): Promise<void> {
    // In the order opened (closeAll closes the last first): data dir, keys and schema (the roles write them), RTSP server, roles.
    this.closing ??= closeAll([
      () => rmSync(this.dataDir, { recursive: true, force: true }),
      () => deleteKeys(this.config),
      () => dropSchema(this.config),
      () => this.rtsp.stop(),
      () => Promise.all(this.roles.map((r) => stopChildProcess(r.child, STOP_GRACE_MS))),
    ]).catch((err: unknown) => console.error(`bench cleanup failed: ${(err as Error).message}`));
    return this.closing;
  }
}

async function dropSchema(config: Readonly<Config>): Promise<void> {
  const client = new pg.Client({ connectionString: config.database.url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${config.database.schema} CASCADE`);
  } finally {
    await client.end();
  }
}

async function deleteKeys(config: Readonly<Config>): Promise<void> {
  const redis = createRedis(config.redis.url, 'request');
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', redisKeys.all(config.redis.prefix), 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}
