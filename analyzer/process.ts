// The analyzer process: takes its fair share of the enabled cameras by lease, runs one CameraRunner per
// owned camera, renews its leases, sheds cameras when analyzers join and picks up a dead one's cameras.
import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Config } from '../core/config.ts';
import type { Logger } from '../core/logger.ts';
import type { CameraPipelineOptions } from '../analytics/cameraPipeline.ts';
import { openDatabase } from '../store/database.ts';
import { CameraRepository } from '../store/cameras.ts';
import { CameraAnalysisRepository } from '../store/cameraAnalysis.ts';
import { TrafficCountStore } from '../store/trafficCounts.ts';
import { ensureMonthlyPartitions } from '../store/partitions.ts';
import { CameraLeases, fairShare } from './leases.ts';
import { CameraRunner, type CameraRunnerContext } from './cameraRunner.ts';
import { startAlertServices } from './alertServices.ts';
import { ReportMaker } from '../reports/reportMaker.ts';
import { ReportScheduler } from '../reports/reportScheduler.ts';
import { createRedis, quitRedis } from '../core/redis.ts';

export interface AnalyzerOptions {
  /** Default `${hostname}:${pid}:${random}`. */
  analyzerId?: string;
  /** Tracker, line, zone and speed options of every camera's pipeline; part of the checkpoints' config hash. */
  pipeline?: CameraPipelineOptions;
  /** Wall clock of each camera's timers (analysis refresh, health, idle flush, checkpoints); Date.now by default. */
  now?: () => number;
}

export interface AnalyzerProcess {
  readonly analyzerId: string;
  /** Cameras this analyzer holds and analyses now, sorted. */
  ownedCameraIds(): string[];
  /** Per-camera counters (frames, rows written, checkpoints, write failures). */
  cameraStats(): Record<string, CameraRunner['stats']>;
  /** Stops every camera, releases its leases, leaves the membership and closes connections. Idempotent. */
  close(): Promise<void>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export async function startAnalyzerProcess(
  config: Readonly<Config>,
  logger: Logger,
  options: AnalyzerOptions = {},
): Promise<AnalyzerProcess> {
  const settings = config.analyzer;
  const prefix = config.redis.prefix;
  const analyzerId = options.analyzerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const log = logger.child({ analyzerId });
  const db = await openDatabase(config.database, log);
  await ensureMonthlyPartitions(db.pool, log, new Date());
  const redis = createRedis(config.redis.url, 'queue', { connectionName: `analyzer:${analyzerId}` });
  const leases = new CameraLeases(redis, prefix, analyzerId, settings.leaseTtlMs);
  const cameras = new CameraRepository(db.pool);
  const alertServices = startAlertServices(config, db.pool, redis, log);
  // Every analyzer runs the report schedule: the archive's unique key makes each report once.
  const reportMaker = config.reports.scheduleEnabled ? new ReportMaker(db.pool, config.reports) : null;
  const reportScheduler = reportMaker
    ? new ReportScheduler({
        pool: db.pool,
        maker: reportMaker,
        settings: config.reports,
        logger: log,
      })
    : null;
  reportScheduler?.start();
  const runners = new Map<string, CameraRunner>();
  const context: CameraRunnerContext = {
    settings,
    redisPrefix: prefix,
    logger: log,
    redis,
    createReader: () => createRedis(config.redis.url, 'queue', { connectionName: `analyzer:${analyzerId}:reader` }),
    ownerId: analyzerId,
    analyses: new CameraAnalysisRepository(db.pool),
    store: new TrafficCountStore(db.pool),
    pipelineOptions: options.pipeline ?? {},
    onLeaseLost: (cameraId) => void stopCamera(cameraId, false),
    alerts: alertServices.context,
    ...(options.now ? { now: options.now } : {}),
  };

  let closed: Promise<void> | null = null;
  let cameraIds: string[] = [];
  let listedAtMs = -Infinity;
  let tickTimer: NodeJS.Timeout | null = null;
  let ticking: Promise<void> = Promise.resolve();
  const tickMs = Math.max(100, Math.floor(settings.leaseTtlMs / 3));

  /** Camera loops being stopped; a tick never waits for them (a slow write must not delay lease renewals). */
  const stopping = new Set<Promise<void>>();

  function stopCamera(cameraId: string, release: boolean): Promise<void> {
    const runner = runners.get(cameraId);
    if (!runner) return Promise.resolve();
    runners.delete(cameraId);
    const stopped = (async () => {
      // Stop first: the camera must not be written to by this analyzer once another may hold it.
      await runner.stop();
      if (release)
        await leases
          .release(cameraId)
          .catch((err: unknown) => log.warn({ err, cameraId }, 'lease not released; it will expire'));
      log.info({ cameraId, released: release }, 'camera given up');
    })();
    stopping.add(stopped);
    void stopped.finally(() => stopping.delete(stopped));
    return stopped;
  }

  function startCamera(cameraId: string): void {
    const runner = new CameraRunner(context, cameraId);
    runners.set(cameraId, runner);
    runner.start();
    log.info({ cameraId }, 'camera taken');
  }

  async function refreshCameraList(): Promise<void> {
    if (Date.now() - listedAtMs < settings.cameraListIntervalMs) return;
    try {
      cameraIds = (await cameras.list({ enabledOnly: true })).map((c) => c.id);
      listedAtMs = Date.now();
    } catch (err) {
      log.warn({ err }, 'cameras not listed; keeping the last list');
    }
  }

  async function tick(): Promise<void> {
    const live = await leases.heartbeat();
    await refreshCameraList();
    const enabled = new Set(cameraIds);
    for (const cameraId of [...runners.keys()]) {
      if (!enabled.has(cameraId)) void stopCamera(cameraId, true);
      else if (!(await leases.renew(cameraId))) {
        log.warn({ cameraId }, 'lease lost');
        void stopCamera(cameraId, false);
      }
    }
    const share = fairShare(cameraIds.length, live);
    // Shed the excess (analyzers joined): the cameras whose rank for this analyzer is worst go first.
    const owned = [...runners.keys()].sort((a, b) => rank(b) - rank(a) || (a < b ? -1 : 1));
    while (runners.size > share && !closed) void stopCamera(owned.shift()!, true);
    const candidates = cameraIds.filter((id) => !runners.has(id)).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
    for (const cameraId of candidates) {
      if (runners.size >= share || closed) break;
      if (await leases.acquire(cameraId)) startCamera(cameraId);
    }
  }

  /** A per-analyzer order of the cameras, so analyzers starting together reach for different ones first. */
  function rank(cameraId: string): number {
    return createHash('sha1').update(`${analyzerId}/${cameraId}`).digest().readUInt32BE(0);
  }

  function schedule(): void {
    if (closed) return;
    tickTimer = setTimeout(() => {
      ticking = tick()
        .catch((err: unknown) => log.warn({ err }, 'analyzer tick failed'))
        .finally(schedule);
    }, tickMs);
  }

  const partitionsTimer = setInterval(() => {
    ensureMonthlyPartitions(db.pool, log, new Date()).catch((err: unknown) =>
      log.warn({ err }, 'partitions not ensured'),
    );
  }, DAY_MS);
  partitionsTimer.unref();

  ticking = tick().catch((err: unknown) => log.warn({ err }, 'analyzer tick failed'));
  await ticking;
  schedule();
  log.info({ leaseTtlMs: settings.leaseTtlMs }, 'analyzer started');

  async function shutdown(): Promise<void> {
    if (tickTimer) clearTimeout(tickTimer);
    clearInterval(partitionsTimer);
    await ticking.catch(() => undefined);
    if (tickTimer) clearTimeout(tickTimer);
    const steps: Array<() => Promise<unknown>> = [
      () => Promise.all([...[...runners.keys()].map((cameraId) => stopCamera(cameraId, true)), ...stopping]),
      () => leases.leave(),
      () => alertServices.close(),
      async () => reportScheduler?.close(),
      async () => reportMaker?.close(),
      () => quitRedis(redis),
      () => db.close(),
    ];
    for (const step of steps) {
      try {
        await step();
      } catch (err) {
        log.warn({ err }, 'analyzer close step failed');
      }
    }
    log.info('analyzer closed');
  }

  return {
    analyzerId,
    ownedCameraIds: () => [...runners.keys()].sort(),
    cameraStats: () => Object.fromEntries([...runners].map(([id, runner]) => [id, { ...runner.stats }])),
    close() {
      closed ??= shutdown();
      return closed;
    },
  };
}
