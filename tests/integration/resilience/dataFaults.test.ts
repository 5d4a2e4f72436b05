// Data-path faults on the real worker and analyzer processes (private Redis and PostgreSQL): each scenario's
// stored minute rows and alerts must equal a fault-free run's exactly, with no process left behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import type { AlertRule } from '../../../core/alerts.ts';
import { DEMO_ANALYSIS } from '../../../bin/demoCamera.ts';
import { readJpegSize } from '../../../core/jpegHeader.ts';
import { descendantsOf } from '../../../harness/processTree.ts';
import { decodeClip } from '../../../harness/clipReplay.ts';
import {
  startPrivatePostgres,
  startPrivateRedis,
  type PrivatePostgres,
  type PrivateRedis,
} from '../../../harness/privateServices.ts';
import { runWithFault, type Fault, type FaultRunOptions, type StoredRun } from '../../support/faultRun.ts';
import {
  analyzerKill,
  postgresOutage,
  postgresRestart,
  redisCrash,
  redisRestart,
  seededRandom,
  workerKill,
} from '../../support/dataFaults.ts';
import { recordScenario } from '../../support/resilienceReport.ts';

const SUITE = 'data path';
const SAMPLE_FPS = 5;
const FRAME_WIDTH_PX = 640;
// 80 s of capture (a whole minute and part of the next), pushed at 5× real time: a run takes ~30 s on 2 cores.
const TOTAL_FRAMES = 400;
const PUSH_FPS = 25;
/** The clip's traffic drives 'di-xa' across the demo line: forbidding it makes every crossing an alert. */
const RULES: AlertRule[] = [
  {
    id: 'nguoc-chieu-di-xa',
    name: 'Đi ngược chiều (thử)',
    type: 'wrongWay',
    lineId: 'ngang-duong',
    forbiddenDirection: 'di-xa',
  },
];
/**
 * The long PostgreSQL outage: held this long while the feeder keeps pushing, which it does at a slower pace
 * for that run so frames arrive through the whole outage; a small pending bound makes the analyzer stop
 * reading and let the results wait in their stream (what it does in a much longer outage with the default).
 */
const PG_OUTAGE_MS = 20_000;
const PG_OUTAGE_PUSH_FPS = 16;
const PG_OUTAGE_PENDING_MAX_ROWS = 10;
const SEED = Number(process.env.FAULT_SEED ?? Math.floor(Math.random() * 2 ** 31));

let redis: PrivateRedis;
let postgres: PrivatePostgres;
let options: Omit<FaultRunOptions, 'fault'>;
let baseline: StoredRun;
const random = seededRandom(SEED);

/** A frame in the middle half of the run, drawn from the seeded generator. */
function randomFrame(): number {
  return Math.floor(TOTAL_FRAMES * (0.25 + 0.5 * random()));
}

/** Role processes and ffmpeg still alive under this test process (the private Redis runs until afterAll). */
function leftoverProcesses(pattern = /bin\/ioc\.ts|ffmpeg/): string[] {
  return descendantsOf(process.pid)
    .map((p) => p.command)
    .filter((c) => pattern.test(c));
}

function figuresOf(run: StoredRun): Record<string, number | string> {
  return {
    frames: TOTAL_FRAMES,
    countRows: run.counts.length,
    zoneRows: run.zones.length,
    alerts: run.alertKeys.length,
    pushRetries: run.pushRetries,
    idleCommits: run.idleCommits,
    wallMs: run.wallMs,
    feedMs: run.feedMs,
    drainMs: run.drainMs,
    ...(run.outcome?.figures ?? {}),
  };
}

async function scenario(name: string, fault: Fault, overrides: Partial<FaultRunOptions> = {}): Promise<void> {
  let run: StoredRun | null = null;
  let failure: unknown = null;
  try {
    run = await runWithFault({ ...options, ...overrides, fault });
    expect(leftoverProcesses(), 'processes left behind').toEqual([]);
    expect(run.counts, 'per-minute counts').toEqual(baseline.counts);
    expect(run.zones, 'zone statistics').toEqual(baseline.zones);
    expect(run.alertKeys, 'alerts (each once)').toEqual(baseline.alertKeys);
    expect(new Set(run.alertKeys).size).toBe(run.alertKeys.length);
  } catch (err) {
    failure = err;
  }
  recordScenario({
    suite: SUITE,
    name,
    passed: failure === null,
    recoveryMs: run?.outcome?.recoveryMs ?? null,
    figures: run ? figuresOf(run) : { frames: TOTAL_FRAMES },
    notes: [run?.outcome?.notes ?? '', failure ? `failed: ${String((failure as Error).message).split('\n')[0]}` : '']
      .filter(Boolean)
      .join('; '),
  });
  if (failure) throw failure;
  console.info(`${name}: recovery ${run!.outcome?.recoveryMs} ms, ${run!.wallMs} ms, ${JSON.stringify(run!.outcome)}`);
}

beforeAll(async () => {
  [redis, postgres] = await Promise.all([startPrivateRedis(), startPrivatePostgres()]);
  const assets = resolve(process.env.IOC_ASSETS ?? join(process.cwd(), '../shared/assets'));
  const jpegs = await decodeClip(join(assets, 'video/vn_traffic.mp4'), SAMPLE_FPS, FRAME_WIDTH_PX);
  const now = new Date();
  options = {
    services: { redis, postgres },
    camera: {
      analysis: DEMO_ANALYSIS,
      rules: RULES,
      sampleFps: SAMPLE_FPS,
      firstFrameSizePx: readJpegSize(jpegs[0]!)!,
    },
    jpegs,
    totalFrames: TOTAL_FRAMES,
    pushFps: PUSH_FPS,
    // In the current month, whose partitions the analyzer ensures at start.
    startMs: Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1, 8, 0, 0),
    workers: 2,
  };
});

afterAll(async () => {
  await Promise.allSettled([redis?.close(), postgres?.close()]);
  // pg_ctl daemonizes PostgreSQL (not our child): its stop -w is what guarantees it is gone.
  expect(leftoverProcesses(/bin\/ioc\.ts|ffmpeg|redis-server/)).toEqual([]);
});

describe('data-path faults, compared with a fault-free run of the same clip', { timeout: 150_000 }, () => {
  it('a fault-free run stores counts and raises wrong-way alerts', async () => {
    baseline = await runWithFault(options);
    recordScenario({
      suite: SUITE,
      name: 'baseline (no fault)',
      passed: true,
      recoveryMs: null,
      figures: { ...figuresOf(baseline), seed: SEED },
      notes: 'the reference every scenario is compared with',
    });
    console.info(
      `baseline: ${baseline.wallMs} ms, ${baseline.counts.length} count rows, ${baseline.alertKeys.length} alerts`,
    );
    expect(baseline.counts.length).toBeGreaterThan(0);
    expect(baseline.alertKeys.length).toBeGreaterThan(0);
    expect(baseline.idleCommits).toBe(1);
    expect(leftoverProcesses()).toEqual([]);
  });

  it('loses and doubles nothing when Redis restarts mid-run', () =>
    scenario('Redis restarted mid-run', redisRestart(randomFrame(), redis)));
  it('loses and doubles nothing when Redis is SIGKILLed mid-run and started on its AOF', () =>
    scenario('Redis SIGKILLed mid-run (AOF, fsync always)', redisCrash(randomFrame(), redis)));
  it('loses and doubles nothing when PostgreSQL restarts mid-run', () =>
    scenario('PostgreSQL restarted mid-run (connections killed)', postgresRestart(randomFrame(), postgres)));
  it(
    'buffers counts and alerts through a long PostgreSQL outage and writes them all once it is back',
    { timeout: 180_000 },
    () =>
      scenario(
        `PostgreSQL stopped ${PG_OUTAGE_MS / 1000} s mid-run (counts and alerts buffered, pending bound ${PG_OUTAGE_PENDING_MAX_ROWS})`,
        postgresOutage(Math.floor(TOTAL_FRAMES * (0.15 + 0.1 * random())), postgres, PG_OUTAGE_MS),
        { pushFps: PG_OUTAGE_PUSH_FPS, env: { IOC_ANALYZER_PENDING_MAX_ROWS: String(PG_OUTAGE_PENDING_MAX_ROWS) } },
      ),
  );
  it('loses and doubles nothing when a worker is SIGKILLed holding a frame', () =>
    scenario('worker SIGKILLed and re-started', workerKill(randomFrame())));
  it('loses and doubles nothing when the analyzer is SIGKILLed', () =>
    scenario('analyzer SIGKILLed and re-started', analyzerKill(randomFrame())));
});
