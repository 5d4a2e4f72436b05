// One fault run's system on the private Redis and PostgreSQL: a schema and key prefix of its own, the replay
// camera with its lines, zone and wrong-way rule, and the real worker and analyzer roles as child processes.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type { AlertRule } from '../../core/alerts.ts';
import type { CameraAnalysis } from '../../core/cameraAnalysis.ts';
import { loadConfig, type Config } from '../../core/config.ts';
import { stopChildProcess } from '../../core/childProcess.ts';
import { createLogger } from '../../core/logger.ts';
import { analysisPlanFor } from '../../analyzer/analysisPlan.ts';
import { setAnalysisPlan } from '../../analyzer/analysisPlanWriter.ts';
import { AlertRulesRepository } from '../../store/alertRules.ts';
import { CameraAnalysisRepository } from '../../store/cameraAnalysis.ts';
import { CameraRepository } from '../../store/cameras.ts';
import { openDatabase, type Database } from '../../store/database.ts';
import { closeAll } from '../../harness/closeAll.ts';
import { spawnRole, type RoleName, type RoleProcess } from '../../harness/spawnRole.ts';
export type { RoleName, RoleProcess };
import { deletePrefixKeys } from '../integration/inference/helpers.ts';
import type { PrivatePostgres, PrivateRedis } from '../../harness/privateServices.ts';
import { createRedis, redisKeys } from '../../core/redis.ts';

const LOG_TAIL_LINES = 60;
// Two cores shared with other suites: a cold tsx start of the api (fastify, swagger, pdfkit) has taken over 60 s.
const READY_TIMEOUT_MS = 120_000;
/** The analyzer's line once an idle camera's open minutes and ended alerts are written: the run's end. */
export const IDLE_COMMITTED_LINE = 'camera idle; open minutes and alerts written';

/** Where a stack's Redis and PostgreSQL are: private ones a test may fault, or the machine's shared ones. */
export interface FaultServices {
  redis: Pick<PrivateRedis, 'url'>;
  postgres: Pick<PrivatePostgres, 'url'>;
}

/** Where and how a role runs: by default this machine, the stack's settings; a multi-host test names a host. */
export interface RolePlacement {
  /** Wraps the command (`ip netns exec <host> …`); the wrapper must exec it in place (same pid, same IPC channel). */
  launch?(command: string, args: readonly string[]): [string, string[]];
  /** Settings of this role only, over the stack's (its listen address, say). */
  env?: Record<string, string>;
}

export interface FaultRole extends RoleProcess {
  /** Lines containing IDLE_COMMITTED_LINE seen so far. */
  idleCommits: number;
}

/**
 * Knobs shared by the baseline and every fault run (so their stored rows can be compared), each for a reason:
 * nothing dropped by backpressure (a replay must see every frame), and the queue's takeover times scaled to
 * the replay's speed: it runs at 5× real time, so the defaults' lock 10 s + stall check 5 s become 2 s + 1 s
 * (15 s of capture time, as in a deployment). The re-order wait is the DEFAULT one (20 s of capture time):
 * a frame a killed worker held is waited for, not skipped, with no test-only setting (README "Resilience").
 */
function knobs(id: string, services: FaultServices, dataDir: string): Record<string, string> {
  return {
    IOC_DATABASE_URL: services.postgres.url,
    IOC_DATABASE_SCHEMA: `fault_${id}`,
    IOC_DATABASE_POOL_SIZE: '4',
    IOC_REDIS_URL: services.redis.url,
    IOC_REDIS_PREFIX: `ioc-fault-${id}`,
    IOC_DATA_DIR: dataDir,
    IOC_LOG_LEVEL: 'info',
    IOC_RTMP_ENABLED: 'false',
    IOC_QUEUE_MAX_WAITING_PER_CAMERA: '1000',
    // Nor by age: a replay pushes faster than two workers analyse, and a frame may wait a minute in the queue.
    IOC_QUEUE_FRAME_WAIT_MAX_MS: '600000',
    IOC_QUEUE_WORKER_CONCURRENCY: '1',
    IOC_QUEUE_LOCK_DURATION_MS: '2000',
    IOC_QUEUE_STALLED_INTERVAL_MS: '1000',
    IOC_QUEUE_RESULTS_MAX_LEN: '20000',
    IOC_INFERENCE_INTRA_OP_THREADS: '1',
    IOC_ANALYZER_LEASE_TTL_MS: '3000',
    IOC_ANALYZER_CAMERA_LIST_INTERVAL_MS: '500',
    IOC_ANALYZER_CHECKPOINT_INTERVAL_MS: '500',
    IOC_ANALYZER_READ_BLOCK_MS: '200',
    IOC_ANALYZER_IDLE_FLUSH_MS: '3000',
    // A replay has no live video to cut a clip from.
    IOC_ALERTS_CLIP_BEFORE_MS: '0',
    IOC_ALERTS_CLIP_AFTER_MS: '0',
  };
}

export interface CameraSetup {
  analysis: CameraAnalysis;
  rules: AlertRule[];
  sampleFps: number;
  firstFrameSizePx: { widthPx: number; heightPx: number };
}

/** Creates the camera with its lines, zone and rules, and writes its inference plan before any frame is detected. */
async function addCamera(
  db: Database,
  redis: Redis,
  config: Readonly<Config>,
  camera: CameraSetup,
  name = 'fault replay',
): Promise<string> {
  const created = await new CameraRepository(db.pool).create({
    name,
    mainUrl: 'rtsp://127.0.0.1:1/replay',
    district: 'Hoàn Kiếm',
    sampleFps: camera.sampleFps,
  });
  await new CameraAnalysisRepository(db.pool).set(created.id, camera.analysis);
  await new AlertRulesRepository(db.pool).set(created.id, { rules: camera.rules });
  // As clipReplay: the plan the analyzer will write, before any frame is detected. Another one (crops when the
  // analyzer asks for the whole frame) made the frames detected before its first write timing-dependent: the
  // camera-fault run's zone statistics then differed from its replay's one run in two.
  const plan = analysisPlanFor(
    camera.analysis,
    camera.firstFrameSizePx,
    config.analyzer.cropMarginPx,
    config.analyzer.inferenceRegions,
  );
  await setAnalysisPlan(redis, config.redis.prefix, created.id, plan);
  return created.id;
}

export class FaultStack {
  readonly roles: FaultRole[] = [];
  private closing: Promise<void> | null = null;

  private constructor(
    readonly config: Readonly<Config>,
    readonly env: NodeJS.ProcessEnv,
    readonly db: Database,
    readonly redis: Redis,
    readonly cameraId: string,
    private readonly dataDir: string,
  ) {}

  /** Migrates the run's schema, creates the camera and writes its inference plan before any frame is detected. */
  static async create(
    services: FaultServices,
    camera: CameraSetup,
    overrides: Record<string, string> = {},
  ): Promise<FaultStack> {
    const id = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
    const dataDir = mkdtempSync(join(tmpdir(), 'ioc-fault-'));
    const env = { ...process.env, ...knobs(id, services, dataDir), ...overrides };
    const config = loadConfig({ env });
    const db = await openDatabase(config.database, createLogger({ level: 'warn', name: 'fault-run' }));
    const redis = createRedis(config.redis.url, 'queue');
    redis.on('error', () => undefined); // Redis restarts are the point; the probes retry.
    const cameraId = await addCamera(db, redis, config, camera);
    return new FaultStack(config, env, db, redis, cameraId, dataDir);
  }

  /** Another camera with the same setup, served by the same role processes (a reference run beside the first). */
  addCamera(camera: CameraSetup, name: string): Promise<string> {
    return addCamera(this.db, this.redis, this.config, camera, name);
  }

  /** Spawns the role (harness/spawnRole.ts); resolves once it logs that it serves: when a restarted role counts as back. */
  async spawnRole(role: RoleName, name: string, placement: RolePlacement = {}): Promise<FaultRole> {
    let faultRole!: FaultRole;
    await spawnRole({
      role,
      name,
      env: { ...this.env, ...placement.env },
      ...(placement.launch
        ? { launch: (command: string, args: readonly string[]) => placement.launch!(command, args) }
        : {}),
      servingTimeoutMs: READY_TIMEOUT_MS,
      logTailLines: LOG_TAIL_LINES,
      onSpawn: (proc) => {
        faultRole = Object.assign(proc, { idleCommits: 0 });
        proc.lineListeners.add((line) => {
          if (line.includes(IDLE_COMMITTED_LINE)) faultRole.idleCommits += 1;
        });
        this.roles.push(faultRole);
      },
    });
    return faultRole;
  }

  role(name: string): FaultRole {
    const found = [...this.roles].reverse().find((r) => r.name === name);
    if (!found) throw new Error(`no role ${name}`);
    return found;
  }

  /** SIGKILL, as a crashed machine: nothing flushed, no lease released. Resolves once the process is gone. */
  async kill(name: string): Promise<void> {
    await stopChildProcess(this.role(name).child, 0, 'SIGKILL');
  }

  /** A role that died without being killed by the test is a failed run. */
  deadRole(): FaultRole | null {
    return this.roles.find((r) => r.child.signalCode !== 'SIGKILL' && r.child.exitCode !== null) ?? null;
  }

  /** The analyzer's committed checkpoint of the camera: its stream id ('0' before the first). */
  async checkpointStreamId(): Promise<string> {
    const json = await this.redis.get(redisKeys.checkpoint(this.config.redis.prefix, this.cameraId));
    return json === null ? '0' : (JSON.parse(json) as { streamId: string }).streamId;
  }

  /** Id of the newest result in the camera's stream ('0' when empty). */
  async newestResultId(): Promise<string> {
    const newest = await this.redis.xrevrange(
      redisKeys.results(this.config.redis.prefix, this.cameraId),
      '+',
      '-',
      'COUNT',
      1,
    );
    return newest[0]?.[0] ?? '0';
  }

  /** Entries (results and skips) of the camera's stream after `afterId`. */
  async resultsAfter(afterId: string): Promise<number> {
    const key = redisKeys.results(this.config.redis.prefix, this.cameraId);
    const entries = await this.redis.xrange(key, afterId === '0' ? '-' : `(${afterId}`, '+');
    return entries.length;
  }

  /** Latest time PostgreSQL was written to by the analyzer (counts, zone stats, alerts), epoch ms, or 0. */
  async lastWriteMs(): Promise<number> {
    const { rows } = await this.db.pool.query<{ at: Date | null }>(
      `SELECT greatest((SELECT max(written_at) FROM traffic_counts), (SELECT max(written_at) FROM zone_stats),
                       (SELECT max(updated_at) FROM alerts)) AS at`,
    );
    return rows[0]?.at?.getTime() ?? 0;
  }

  /** Stops the children (SIGTERM, then SIGKILL), drops the schema and keys, removes the data dir. Idempotent. */
  close(): Promise<void> {
    // In the order opened (closeAll closes the last first): data dir, Redis and its keys, database and schema, roles.
    this.closing ??= closeAll([
      () => rmSync(this.dataDir, { recursive: true, force: true }),
      () => this.redis.quit(),
      () => deletePrefixKeys(this.redis, this.config.redis.prefix),
      () => this.db.close(),
      () => this.db.pool.query(`DROP SCHEMA IF EXISTS ${this.config.database.schema} CASCADE`),
      () => Promise.all(this.roles.map((r) => stopChildProcess(r.child, 8000))),
    ]).catch((err: unknown) => console.error(`fault run cleanup failed: ${(err as Error).message}`));
    return this.closing;
  }
}
