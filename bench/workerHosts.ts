// Frames/s per added worker host, in the multi-host deployment the resilience suite runs (harness/hostNetwork.ts):
// Redis on a data host, worker roles on worker hosts (network namespaces, veths to one bridge), the frames pushed
// from the root namespace as ingest would. Each step starts one more worker host, lets every worker load its
// model, pushes the same backlog of real frames and times the drain: first to last published result.
// The hosts share this machine's cores, so the figure says what another host adds on this box (and that the
// queue spreads frames over hosts), not what another machine would add; the run's CPU use is printed beside it.
// Run (as root): npx tsx bench/workerHosts.ts [--hosts 1,2] [--frames 240] [--cameras 4] [--out bench/results]
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../core/config.ts';
import { createRedis } from '../core/redis.ts';
import { stopChildProcess } from '../core/childProcess.ts';
import { readJpegSize } from '../core/jpegHeader.ts';
import { BullmqFrameSink } from '../inference/frameSink.ts';
import { readResults } from '../inference/results.ts';
import { closeAll, type Closer } from '../harness/closeAll.ts';
import { createHostNetwork, removeStaleNetworks } from '../harness/hostNetwork.ts';
import { startPrivateRedis } from '../harness/privateServices.ts';
import { spawnRole, workerRoleEnv, type RoleProcess } from '../harness/spawnRole.ts';
import { isEntryPoint } from './entryPoint.ts';
import { clipFrames } from './inferenceThroughput.ts';

export interface WorkerHostsOptions {
  hosts: number[];
  frames: number;
  cameras: number;
  /** Folder the JSON result is written to. */
  outDir: string;
}

export interface HostStep {
  workerHosts: number;
  framesPerSecond: number;
  /** Results each worker published, by worker id. */
  byWorker: Record<string, number>;
  /** Share of this machine's CPU time busy during the drain (all cores). */
  machineBusy: number;
  drainSeconds: number;
}

const POLL_MS = 200;
const DRAIN_TIMEOUT_MS = 180_000;

function parseOptions(argv: string[]): WorkerHostsOptions {
  const args: WorkerHostsOptions = { hosts: [1, 2], frames: 240, cameras: 4, outDir: 'bench/results' };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i]!, argv[i + 1] ?? ''];
    if (flag === '--hosts') args.hosts = value.split(',').map(Number);
    else if (flag === '--frames') args.frames = Number(value);
    else if (flag === '--cameras') args.cameras = Number(value);
    else if (flag === '--out') args.outDir = value;
    else throw new Error(`unknown option ${flag}`);
  }
  if (args.hosts.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--hosts: worker host counts, e.g. 1,2');
  return args;
}

/** Busy and total CPU time of all cores since boot, ms (os.cpus()). */
function cpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    const all = times.user + times.nice + times.sys + times.idle + times.irq;
    total += all;
    busy += all - times.idle;
  }
  return { busy, total };
}

export interface WorkerHostsRun {
  frames: number;
  cameras: number;
  steps: HostStep[];
  /** Frames/s each worker host adds from the first step to the last; null with one step. */
  perAddedHost: number | null;
}

/** Builds the hosts, runs a step per entry of `args.hosts` and tears everything down. */
export async function runWorkerHosts(
  args: WorkerHostsOptions,
  onStep: (step: HostStep, steps: readonly HostStep[]) => void = () => undefined,
): Promise<WorkerHostsRun> {
  const maxHosts = Math.max(...args.hosts);
  await removeStaleNetworks();
  const closers: Closer[] = [];
  try {
    const network = await createHostNetwork(['data', ...Array.from({ length: maxHosts }, (_, i) => `w${i + 1}`)]);
    closers.push(() => network.close());
    const data = network.host('data');
    const redis = await startPrivateRedis({ listenAddress: data.address, launch: (c, a) => data.exec(c, a) });
    closers.push(() => redis.close());
    const jpegs = await clipFrames(loadConfig(), Math.min(args.frames, 100), 960);
    const steps: HostStep[] = [];
    for (const hostCount of args.hosts) {
      steps.push(await runStep(network, redis.url, jpegs, args, hostCount));
      onStep(steps.at(-1)!, steps);
    }
    const first = steps[0]!;
    const last = steps.at(-1)!;
    const perAddedHost =
      last.workerHosts > first.workerHosts
        ? (last.framesPerSecond - first.framesPerSecond) / (last.workerHosts - first.workerHosts)
        : null;
    return { frames: args.frames, cameras: args.cameras, steps, perAddedHost };
  } finally {
    await closeAll(closers);
  }
}

async function main(): Promise<void> {
  const args = parseOptions(process.argv.slice(2));
  console.log(
    `${args.frames} frames of vn_traffic.mp4 (960 px) over ${args.cameras} cameras, model ${loadConfig().inference.modelId}; ` +
      `Redis on host data, worker hosts w1…w${Math.max(...args.hosts)}, all on this machine's cores`,
  );
  const run = await runWorkerHosts(args, (step, steps) => {
    const gain = steps.length > 1 ? ` (+${(step.framesPerSecond - steps[0]!.framesPerSecond).toFixed(1)})` : '';
    console.log(
      `${step.workerHosts} worker host(s): ${step.framesPerSecond.toFixed(1)} frames/s${gain}, drain ${step.drainSeconds.toFixed(1)} s, ` +
        `machine ${Math.round(step.machineBusy * 100)}% busy, results by worker ${JSON.stringify(step.byWorker)}`,
    );
  });
  if (run.perAddedHost !== null) console.log(`frames/s per added worker host: ${run.perAddedHost.toFixed(1)}`);
  await mkdir(args.outDir, { recursive: true });
  const file = join(args.outDir, `worker-hosts-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, JSON.stringify(run, null, 2));
  console.log(`written ${file}`);
}

async function runStep(
  network: Awaited<ReturnType<typeof createHostNetwork>>,
  redisUrl: string,
  jpegs: Buffer[],
  args: WorkerHostsOptions,
  hostCount: number,
): Promise<HostStep> {
  const prefix = `ioc-hosts-${randomBytes(3).toString('hex')}`;
  const queue = {
    // The whole backlog waits: neither the per-camera bound nor the JPEG's wait drops a frame.
    maxWaitingPerCamera: args.frames,
    frameWaitMaxMs: 600_000,
    resultsMaxLen: args.frames,
  };
  const config: Config = loadConfig({ overrides: { redis: { url: redisUrl, prefix }, queue } });
  const env = workerRoleEnv(config);
  const workers: RoleProcess[] = [];
  const sink = new BullmqFrameSink(config);
  const reader = createRedis(redisUrl, 'request');
  try {
    for (let i = 1; i <= hostCount; i++) {
      const host = network.host(`w${i}`);
      workers.push(
        await spawnRole({
          role: 'worker',
          name: `worker-w${i}`,
          env,
          launch: (c, a) => host.exec(c, a),
          servingTimeoutMs: 120_000,
        }),
      );
    }
    const cameras = Array.from({ length: args.cameras }, (_, i) => `hosts-cam-${i + 1}`);
    const size = readJpegSize(jpegs[0]!)!;
    const cpuBefore = cpuTimes();
    for (let seq = 0; seq < args.frames; seq++) {
      const cameraId = cameras[seq % cameras.length]!;
      await sink.push({
        cameraId,
        seq: Math.floor(seq / cameras.length),
        capturedAtMs: Date.now(),
        jpeg: jpegs[seq % jpegs.length]!,
        ...size,
      });
    }
    const published: number[] = [];
    const byWorker: Record<string, number> = {};
    const lastIds = new Map(cameras.map((c) => [c, '0']));
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    while (published.length < args.frames) {
      if (Date.now() > deadline)
        throw new Error(`${published.length} of ${args.frames} results after the drain timeout`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      for (const camera of cameras) {
        const entries = await readResults(reader, prefix, camera, { afterId: lastIds.get(camera)!, count: 10_000 });
        for (const { id, result } of entries) {
          lastIds.set(camera, id);
          published.push(result.publishedAtMs);
          byWorker[result.workerId] = (byWorker[result.workerId] ?? 0) + 1;
        }
      }
    }
    const cpuAfter = cpuTimes();
    const spanMs = Math.max(...published) - Math.min(...published);
    return {
      workerHosts: hostCount,
      framesPerSecond: ((published.length - 1) / spanMs) * 1000,
      byWorker,
      machineBusy: (cpuAfter.busy - cpuBefore.busy) / (cpuAfter.total - cpuBefore.total),
      drainSeconds: spanMs / 1000,
    };
  } finally {
    await Promise.all(workers.map((w) => stopChildProcess(w.child, 10_000)));
    await sink.close();
    // Keys stay: each step has its own prefix, and the private Redis goes with the run.
    await reader.quit();
  }
}

if (isEntryPoint(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
