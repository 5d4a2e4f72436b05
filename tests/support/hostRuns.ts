// Replay runs on a stack whose roles run on several hosts (network namespaces): each run a camera of its own fed
// in real time, with an optional host cut mid-run; its stored rows and what the results stream held, read back.
import type { Queue } from 'bullmq';
import type { HostNetwork } from '../../harness/hostNetwork.ts';
import { redisKeys } from '../../core/redis.ts';
import { compareStreamIds } from '../../analyzer/streamTrim.ts';
import { readResults, type ResultEntry } from '../../inference/results.ts';
import { BullmqFrameSink } from '../../inference/frameSink.ts';
import { CameraRepository } from '../../store/cameras.ts';
import {
  framesQueueOf,
  idleCommitsOf,
  storedRows,
  waitUntil,
  withRoleLogs,
  type FaultOutcome,
  type StoredRun,
} from './faultRun.ts';
import type { CameraSetup, FaultStack, RoleProcess } from './faultStack.ts';

const RECOVERY_TIMEOUT_MS = 120_000;
const DRAIN_TIMEOUT_MS = 120_000;

export interface HostRunContext {
  stack: FaultStack;
  network: HostNetwork;
  queue: Queue;
  cameraId: string;
}

export interface HostFault {
  atFrame: number;
  /** Runs before the first frame is pushed (a standby started once the camera's lease is held, say). */
  prepare?(ctx: HostRunContext): Promise<void>;
  inject(ctx: HostRunContext): Promise<FaultOutcome>;
}

export interface HostRunOptions {
  stack: FaultStack;
  network: HostNetwork;
  camera: CameraSetup;
  jpegs: readonly Buffer[];
  totalFrames: number;
  /** Capture time of frame 0 (epoch ms), the same for every run so that their rows compare. */
  startMs: number;
  /** Camera of a run before, disabled first so that one enabled camera is analysed at a time. */
  previousCameraId?: string;
  fault?: HostFault;
}

export interface HostRun extends StoredRun {
  cameraId: string;
  /** Seqs whose result the stream holds more than once (at-least-once delivery; the analyzer must drop them). */
  duplicateSeqs: number[];
  /** Results per worker (hostname:pid). */
  resultsByWorker: Record<string, number>;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function allResults(stack: FaultStack, cameraId: string): Promise<ResultEntry[]> {
  const all: ResultEntry[] = [];
  let afterId = '0';
  for (;;) {
    const batch = await readResults(stack.redis, stack.config.redis.prefix, cameraId, { afterId, count: 500 });
    if (batch.length === 0) return all;
    all.push(...batch);
    afterId = batch[batch.length - 1]!.id;
  }
}

export async function checkpointOf(stack: FaultStack, cameraId: string): Promise<string> {
  const json = await stack.redis.get(redisKeys.checkpoint(stack.config.redis.prefix, cameraId));
  return json === null ? '0' : (JSON.parse(json) as { streamId: string }).streamId;
}

export function leaseHolder(stack: FaultStack, cameraId: string): Promise<string | null> {
  return stack.redis.get(redisKeys.lease(stack.config.redis.prefix, cameraId));
}

/** An analyzer's id is hostname:pid:random, a worker's hostname:pid: the role process an id names. */
export function holds(id: string | null, role: RoleProcess): boolean {
  return id !== null && (id.endsWith(`:${role.child.pid}`) || id.includes(`:${role.child.pid}:`));
}

export async function runOnHosts(options: HostRunOptions): Promise<HostRun> {
  const { stack, network } = options;
  const started = Date.now();
  if (options.previousCameraId) {
    // Every camera of the runs before (one that failed included) disabled: the run's camera is the only one.
    const cameras = new CameraRepository(stack.db.pool);
    for (const camera of await cameras.list({ enabledOnly: true })) await cameras.update(camera.id, { enabled: false });
  }
  const cameraId = options.previousCameraId
    ? await stack.addCamera(options.camera, `multi-host ${started}`)
    : stack.cameraId;
  const sink = new BullmqFrameSink(stack.config);
  const queue = framesQueueOf(stack);
  const ctx: HostRunContext = { stack, network, queue, cameraId };
  try {
    await options.fault?.prepare?.(ctx);
    const feedStarted = Date.now();
    const { pushRetries, fault } = await feed(options, ctx, sink);
    const fed = Date.now();
    const outcome = fault ? await fault : null;
    const idleBefore = idleCommitsOf(stack);
    await waitForDrain(ctx);
    await waitUntil(
      'the idle commit of the camera',
      async () => idleCommitsOf(stack) > idleBefore,
      DRAIN_TIMEOUT_MS,
      100,
    );
    const rows = await storedRows(stack, cameraId);
    const results = await allResults(stack, cameraId);
    const seen = new Map<number, number>();
    const resultsByWorker: Record<string, number> = {};
    for (const { result } of results) {
      seen.set(result.seq, (seen.get(result.seq) ?? 0) + 1);
      resultsByWorker[result.workerId] = (resultsByWorker[result.workerId] ?? 0) + 1;
    }
    const duplicateSeqs = [...seen].filter(([, n]) => n > 1).map(([seq]) => seq);
    return {
      ...rows,
      cameraId,
      duplicateSeqs,
      resultsByWorker,
      wallMs: Date.now() - started,
      feedMs: fed - feedStarted,
      drainMs: Date.now() - fed,
      pushRetries,
      idleCommits: idleCommitsOf(stack) - idleBefore,
      outcome,
    };
  } catch (err) {
    throw withRoleLogs(err, stack);
  } finally {
    await sink.close();
    await queue.close().catch(() => undefined);
  }
}

/** Pushes the frames at their capture pace (real time: the queue's and analyzer's takeover times are the defaults). */
async function feed(options: HostRunOptions, ctx: HostRunContext, sink: BullmqFrameSink) {
  const { sampleFps, firstFrameSizePx } = options.camera;
  const t0 = Date.now();
  let pushRetries = 0;
  let fault: Promise<FaultOutcome> | null = null;
  for (let seq = 0; seq < options.totalFrames; seq++) {
    if (options.fault && seq === options.fault.atFrame) {
      fault = options.fault.inject(ctx);
      fault.catch(() => undefined);
    }
    const delayMs = t0 + (seq * 1000) / sampleFps - Date.now();
    if (delayMs > 0) await sleep(delayMs);
    const frame = {
      cameraId: ctx.cameraId,
      seq,
      capturedAtMs: options.startMs + Math.round((seq * 1000) / sampleFps),
      jpeg: options.jpegs[seq % options.jpegs.length]!,
      ...firstFrameSizePx,
    };
    for (;;) {
      try {
        await sink.push(frame);
        break;
      } catch {
        pushRetries += 1;
        await sleep(100);
      }
    }
    const dead = ctx.stack.deadRole();
    if (dead) throw new Error(`${dead.name} died (${dead.child.exitCode})`);
  }
  return { pushRetries, fault };
}

async function waitForDrain(ctx: HostRunContext): Promise<void> {
  await waitUntil(
    'every frame detected',
    async () => {
      const counts = await ctx.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed');
      if (counts.failed! > 0) throw new Error(`${counts.failed} frames failed`);
      return counts.waiting! + counts.active! + counts.delayed! + counts.prioritized! === 0;
    },
    DRAIN_TIMEOUT_MS,
    100,
  );
}

/** Resolves with the time a line containing `text` is logged by `role` (from now on). */
function nextLine(role: RoleProcess, text: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      role.lineListeners.delete(listener);
      reject(new Error(`${role.name} did not log "${text}" in ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (line: string) => {
      if (!line.includes(text)) return;
      clearTimeout(timer);
      role.lineListeners.delete(listener);
      resolve(Date.now());
    };
    role.lineListeners.add(listener);
  });
}

/**
 * A worker host's link cut for cutMs while its worker holds a frame: that frame is taken over by a worker on
 * another host once its lock expires; the host comes back and its worker detects frames again.
 */
export function workerHostCut(atFrame: number, hostName: string, workerName: string, cutMs: number): HostFault {
  return {
    atFrame,
    async inject({ stack, network, queue, cameraId }) {
      const worker = stack.role(workerName);
      const heldBy = async () =>
        (await queue.getActive())
          .filter((job) => job.processedBy?.endsWith(`:${worker.child.pid}`))
          .map((job) => Number(job.data.seq));
      let heldSeq = -1;
      let cutAt = 0;
      // Cut while it holds a frame; a frame finished in the moment between the look and the cut is published
      // before it, so the look is repeated after the cut: what is still active then is held across the cut.
      for (let attempt = 0; heldSeq < 0; attempt++) {
        if (attempt >= 20) throw new Error(`${workerName} never held a frame across the cut`);
        await waitUntil(
          `${workerName} holding a frame`,
          async () => (await heldBy()).length > 0,
          RECOVERY_TIMEOUT_MS,
          10,
        );
        cutAt = Date.now();
        await network.cut(hostName);
        heldSeq = (await heldBy())[0] ?? -1;
        if (heldSeq < 0) await network.restore(hostName);
      }
      try {
        let takenOver: ResultEntry | undefined;
        await waitUntil(
          'the held frame detected on another host',
          async () => {
            takenOver = (await allResults(stack, cameraId)).find(
              (e) => e.result.seq === heldSeq && !holds(e.result.workerId, worker),
            );
            return takenOver !== undefined;
          },
          RECOVERY_TIMEOUT_MS,
          100,
        );
        const takeoverMs = Date.now() - cutAt;
        await waitUntil(
          'the held frame analysed',
          async () => compareStreamIds(await checkpointOf(stack, cameraId), takenOver!.id) >= 0,
          RECOVERY_TIMEOUT_MS,
          100,
        );
        const analysedPastMs = Date.now() - cutAt;
        await sleep(Math.max(0, cutAt + cutMs - Date.now()));
        await network.restore(hostName);
        const restoredAt = Date.now();
        let backAt = 0;
        await waitUntil(
          `${workerName} detecting frames again`,
          async () => {
            const back = (await allResults(stack, cameraId)).find(
              (e) =>
                holds(e.result.workerId, worker) && e.result.seq !== heldSeq && e.result.publishedAtMs > restoredAt,
            );
            backAt = back?.result.publishedAtMs ?? 0;
            return back !== undefined;
          },
          RECOVERY_TIMEOUT_MS,
          100,
        );
        const stalePublished = (await allResults(stack, cameraId)).some(
          (e) => e.result.seq === heldSeq && holds(e.result.workerId, worker),
        );
        return {
          recoveryMs: backAt - restoredAt,
          notes: `${hostName} cut ${cutMs / 1000} s at the switch while ${workerName} held seq ${heldSeq}; recovery: link restored → a new frame's result published by ${workerName} (takeoverMs: cut → the held frame detected on another host; lock ${stack.config.queue.lockDurationMs} ms + stalled check ${stack.config.queue.stalledIntervalMs} ms)`,
          figures: {
            heldSeq,
            takeoverMs,
            analysedPastMs,
            cutMs: restoredAt - cutAt,
            stalePublished: String(stalePublished),
          },
        };
      } finally {
        await network.restore(hostName);
      }
    },
  };
}

/**
 * The analyzer host's link cut for cutMs, a standby analyzer waiting on another host: the lease expires and the
 * standby takes the camera on from the checkpoint; the host comes back and its analyzer finds its lease gone.
 */
export function analyzerHostCut(
  atFrame: number,
  hostName: string,
  analyzerName: string,
  standby: { hostName: string; name: string },
  cutMs: number,
): HostFault {
  return {
    atFrame,
    async prepare({ stack, network, cameraId }) {
      const primary = stack.role(analyzerName);
      await waitUntil(
        `${analyzerName} holding the camera`,
        async () => holds(await leaseHolder(stack, cameraId), primary),
        RECOVERY_TIMEOUT_MS,
        100,
      );
      await stack.spawnRole('analyzer', standby.name, { launch: network.host(standby.hostName).exec });
    },
    async inject({ stack, network, cameraId }) {
      const primary = stack.role(analyzerName);
      const waiting = stack.role(standby.name);
      const ttlMs = stack.config.analyzer.leaseTtlMs;
      const checkpointAtCut = await checkpointOf(stack, cameraId);
      const holderAtCut = await leaseHolder(stack, cameraId);
      if (!holds(holderAtCut, primary))
        throw new Error(`${analyzerName} does not hold the camera at the cut (${holderAtCut} does)`);
      const cutAt = Date.now();
      await network.cut(hostName);
      try {
        const leaseLost = nextLine(primary, 'lease lost', cutMs + RECOVERY_TIMEOUT_MS);
        leaseLost.catch(() => undefined);
        await waitUntil(
          'the lease on the standby',
          async () => holds(await leaseHolder(stack, cameraId), waiting),
          RECOVERY_TIMEOUT_MS,
          25,
        );
        const leaseMovedMs = Date.now() - cutAt;
        await waitUntil(
          'the standby checkpointing past the cut',
          async () => compareStreamIds(await checkpointOf(stack, cameraId), checkpointAtCut) > 0,
          RECOVERY_TIMEOUT_MS,
          100,
        );
        const resumedMs = Date.now() - cutAt;
        await sleep(Math.max(0, cutAt + cutMs - Date.now()));
        await network.restore(hostName);
        const restoredAt = Date.now();
        const staleStoppedMs = (await leaseLost) - restoredAt;
        const holderAfter = await leaseHolder(stack, cameraId);
        if (!holds(holderAfter, waiting))
          throw new Error(`the lease left the standby after the host came back (held by ${holderAfter})`);
        return {
          recoveryMs: resumedMs,
          notes: `${hostName} cut ${cutMs / 1000} s at the switch, ${standby.name} waiting on ${standby.hostName}; recovery: cut → the standby's first checkpoint past the cut (leaseMovedMs: cut → lease on the standby, TTL ${ttlMs} ms, tick ${Math.floor(ttlMs / 3)} ms; staleStoppedMs: link restored → the old analyzer logs its lease lost)`,
          figures: { leaseMovedMs, leaseTtlMs: ttlMs, resumedMs, staleStoppedMs, cutMs: restoredAt - cutAt },
        };
      } finally {
        await network.restore(hostName);
      }
    },
  };
}
