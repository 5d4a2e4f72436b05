// The deployment across hosts, as network namespaces on this machine: Redis and PostgreSQL on one host, api +
// ingest + analyzer on a second, a worker on a third and a fourth. A worker host's link and the analyzer host's
// link are each cut for 30 s; stored counts and alerts must equal a fault-free run's, the lease must move in time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import type { AlertRule } from '../../../core/alerts.ts';
import { DEMO_ANALYSIS } from '../../../bin/demoCamera.ts';
import { readJpegSize } from '../../../core/jpegHeader.ts';
import { descendantsOf } from '../../../harness/processTree.ts';
import { decodeClip } from '../../../harness/clipReplay.ts';
import { createHostNetwork, type HostNetwork, type NetHost } from '../../../harness/hostNetwork.ts';
import {
  startPrivatePostgres,
  startPrivateRedis,
  type PrivatePostgres,
  type PrivateRedis,
} from '../../../harness/privateServices.ts';
import { FaultStack, type CameraSetup } from '../../support/faultStack.ts';
import { analyzerHostCut, runOnHosts, workerHostCut, type HostFault, type HostRun } from '../../support/hostRuns.ts';
import { recordScenario } from '../../support/resilienceReport.ts';

const SUITE = 'multi-host';
const HOSTS = ['data', 'app', 'w1', 'w2'] as const;
const API_PORT = 8080;
const SAMPLE_FPS = 2;
const FRAME_WIDTH_PX = 640;
/** 90 s of capture pushed in real time: 8 s before the cut, the 30 s cut, then 52 s for the cut host to take frames again. */
const TOTAL_FRAMES = 180;
const CUT_AT_FRAME = 16;
const CUT_MS = 30_000;
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
 * A deployment's takeover times (the defaults), not the fault suites' scaled ones: frames are pushed in real
 * time. The idle flush is longer than the longest gap in results here (a frame held by a cut worker: lock +
 * stalled check, 15 s), as the 15 s default is in a deployment.
 */
const ROLE_ENV = {
  IOC_QUEUE_LOCK_DURATION_MS: '10000',
  IOC_QUEUE_STALLED_INTERVAL_MS: '5000',
  IOC_ANALYZER_LEASE_TTL_MS: '5000',
  IOC_ANALYZER_IDLE_FLUSH_MS: '15000',
  IOC_ANALYZER_CAMERA_LIST_INTERVAL_MS: '1000',
  // The model at its export size (the shipped default is larger): two cores shared with other suites.
  IOC_INFERENCE_INPUT_WIDTH_PX: '416',
  IOC_INFERENCE_INPUT_HEIGHT_PX: '416',
  // No MQTT broker on these hosts: the outbox keeps its rows either way.
  IOC_MQTT_ENABLED: 'false',
};
/** Slack over the lease's stated takeover time (TTL + one tick of TTL/3) for two cores shared with other suites. */
const LEASE_SLACK_MS = 2000;
/** Slack over a held frame's stated takeover (lock + stalled check), for its inference on the other host and the same cores. */
const TAKEOVER_SLACK_MS = 3000;

let network: HostNetwork | undefined;
let redis: PrivateRedis | undefined;
let postgres: PrivatePostgres | undefined;
let stack: FaultStack | undefined;
let camera: CameraSetup;
let jpegs: Buffer[];
let startMs: number;
let baseline: HostRun;
let lastCameraId: string | undefined;

function leftoverProcesses(pattern = /bin\/ioc\.ts|ffmpeg/): string[] {
  return descendantsOf(process.pid)
    .map((p) => p.command)
    .filter((c) => pattern.test(c));
}

function figuresOf(run: HostRun): Record<string, number | string> {
  return {
    frames: TOTAL_FRAMES,
    countRows: run.counts.length,
    zoneRows: run.zones.length,
    alerts: run.alertKeys.length,
    duplicateResults: run.duplicateSeqs.length,
    workers: Object.keys(run.resultsByWorker).length,
    pushRetries: run.pushRetries,
    wallMs: run.wallMs,
    ...(run.outcome?.figures ?? {}),
  };
}

/**
 * A replay camera has no stream for ingest, so ingest reports it offline and the analyzer raises its camera-offline
 * alert, keyed by the wall-clock time it went offline: compared by number, the alerts from frames by key.
 */
const OFFLINE_ALERT = /^camera-offline:/;
const frameAlerts = (run: HostRun) => run.alertKeys.filter((key) => !OFFLINE_ALERT.test(key));
const offlineAlerts = (run: HostRun) => run.alertKeys.filter((key) => OFFLINE_ALERT.test(key));

async function hostRun(fault?: HostFault): Promise<HostRun> {
  const run = await runOnHosts({
    stack: stack!,
    network: network!,
    camera,
    jpegs,
    totalFrames: TOTAL_FRAMES,
    startMs,
    previousCameraId: lastCameraId,
    fault,
  });
  lastCameraId = run.cameraId;
  return run;
}

async function scenario(
  name: string,
  fault: HostFault,
  check: (run: HostRun) => void = () => undefined,
): Promise<void> {
  let run: HostRun | null = null;
  let failure: unknown = null;
  try {
    run = await hostRun(fault);
    expect(run.counts, 'per-minute counts').toEqual(baseline.counts);
    expect(run.zones, 'zone statistics').toEqual(baseline.zones);
    expect(frameAlerts(run), 'alerts from frames (each once)').toEqual(frameAlerts(baseline));
    expect(offlineAlerts(run), 'camera-offline alerts (once, whoever holds the camera)').toHaveLength(
      offlineAlerts(baseline).length,
    );
    expect(run.idleCommits, 'idle commits (1: the camera went idle only at the end)').toBe(1);
    check(run);
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
  console.info(
    `${name}: ${JSON.stringify(run!.outcome)} wall ${run!.wallMs} ms, results by worker ${JSON.stringify(run!.resultsByWorker)}`,
  );
}

function placed(host: NetHost, env: Record<string, string> = {}) {
  return { launch: host.exec, env };
}

async function apiHealth(): Promise<number> {
  const response = await fetch(`http://${network!.host('app').address}:${API_PORT}/health`, {
    signal: AbortSignal.timeout(5000),
  });
  return response.status;
}

beforeAll(async () => {
  // Fails here, with what it needs, where `ip netns` is not permitted: the scenario is not skipped.
  network = await createHostNetwork(HOSTS);
  const data = network.host('data');
  const placement = { listenAddress: data.address, launch: data.exec };
  [redis, postgres] = await Promise.all([startPrivateRedis(placement), startPrivatePostgres(placement)]);
  const assets = resolve(process.env.IOC_ASSETS ?? join(process.cwd(), '../shared/assets'));
  jpegs = await decodeClip(join(assets, 'video/vn_traffic.mp4'), SAMPLE_FPS, FRAME_WIDTH_PX);
  camera = { analysis: DEMO_ANALYSIS, rules: RULES, sampleFps: SAMPLE_FPS, firstFrameSizePx: readJpegSize(jpegs[0]!)! };
  const now = new Date();
  startMs = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1, 8, 0, 0);
  stack = await FaultStack.create({ redis, postgres }, camera, ROLE_ENV);
  const app = network.host('app');
  await Promise.all([
    stack.spawnRole(
      'api',
      'api',
      placed(app, {
        IOC_HTTP_HOST: app.address,
        IOC_HTTP_PORT: String(API_PORT),
        IOC_AUTH_BOOTSTRAP_ADMIN_PASSWORD: 'multi-host-test-admin',
      }),
    ),
    stack.spawnRole('ingest', 'ingest', placed(app)),
    stack.spawnRole('analyzer', 'analyzer', placed(app)),
    stack.spawnRole('worker', 'worker-1', placed(network.host('w1'))),
    stack.spawnRole('worker', 'worker-2', placed(network.host('w2'))),
  ]);
}, 300_000);

afterAll(async () => {
  await stack?.close();
  await Promise.allSettled([redis?.close(), postgres?.close()]);
  await network?.close();
  expect(leftoverProcesses(/bin\/ioc\.ts|ffmpeg|redis-server/)).toEqual([]);
}, 120_000);

describe(
  'hosts in network namespaces, links cut for 30 s, compared with a fault-free run',
  { timeout: 300_000 },
  () => {
    it('runs each role on its own host, reaching Redis and PostgreSQL only over the network', async () => {
      expect(redis!.url).toContain(network!.host('data').address);
      expect(stack!.roles.map((r) => r.name).sort()).toEqual(['analyzer', 'api', 'ingest', 'worker-1', 'worker-2']);
      expect(await apiHealth()).toBe(200);
    });

    it('a fault-free run stores counts and raises wrong-way alerts, detected on both worker hosts', async () => {
      baseline = await hostRun();
      recordScenario({
        suite: SUITE,
        name: 'baseline (no fault)',
        passed: true,
        recoveryMs: null,
        figures: figuresOf(baseline),
        notes: 'the reference both cuts are compared with',
      });
      console.info(
        `baseline: ${baseline.wallMs} ms, ${baseline.counts.length} count rows, ${baseline.alertKeys.length} alerts, ${JSON.stringify(baseline.resultsByWorker)}`,
      );
      expect(baseline.counts.length).toBeGreaterThan(0);
      expect(baseline.alertKeys.length).toBeGreaterThan(0);
      expect(baseline.idleCommits).toBe(1);
      expect(Object.keys(baseline.resultsByWorker)).toHaveLength(2);
    });

    it('loses and doubles nothing when a worker host is cut off for 30 s holding a frame', () =>
      scenario(
        `worker host w1 cut ${CUT_MS / 1000} s`,
        workerHostCut(CUT_AT_FRAME, 'w1', 'worker-1', CUT_MS),
        (run) => {
          const { lockDurationMs, stalledIntervalMs } = stack!.config.queue;
          expect(
            Number(run.outcome!.figures!.takeoverMs),
            'held frame taken over within lock + stalled check',
          ).toBeLessThanOrEqual(lockDurationMs + stalledIntervalMs + TAKEOVER_SLACK_MS);
          expect(stack!.deadRole(), 'the cut worker survived').toBeNull();
        },
      ));

    it('moves the lease to a standby analyzer within its TTL when the analyzer host is cut off, and counts nothing twice when it returns', () =>
      scenario(
        `analyzer host app (api, ingest, analyzer) cut ${CUT_MS / 1000} s, standby analyzer on w2`,
        analyzerHostCut(CUT_AT_FRAME, 'app', 'analyzer', { hostName: 'w2', name: 'analyzer-standby' }, CUT_MS),
        (run) => {
          const ttlMs = stack!.config.analyzer.leaseTtlMs;
          expect(Number(run.outcome!.figures!.leaseMovedMs), 'lease moved within TTL + one tick').toBeLessThanOrEqual(
            ttlMs + Math.floor(ttlMs / 3) + LEASE_SLACK_MS,
          );
          expect(stack!.deadRole(), 'every role on the cut host survived').toBeNull();
        },
      ));

    it('serves the api again from the host that was cut off', async () => {
      let status = 0;
      for (let i = 0; i < 30 && status !== 200; i++) {
        status = await apiHealth().catch(() => 0);
        if (status !== 200) await new Promise((r) => setTimeout(r, 1000));
      }
      expect(status).toBe(200);
    });
  },
);
