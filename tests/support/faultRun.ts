// Drives one deterministic replay through the real worker and analyzer processes while a fault is injected
// mid-run: frames with fixed seq and capture times, paced, never lost by the feeder; stored rows read back.
import { Queue } from 'bullmq';
import { BullmqFrameSink } from '../../inference/frameSink.ts';
import { FaultStack, type CameraSetup, type FaultServices } from './faultStack.ts';
import { redisQueues } from '../../core/redis.ts';

export interface FaultOutcome {
  /** Fault cleared → the pipeline flowing again (what "flowing" means is the scenario's, said in notes). */
  recoveryMs: number;
  notes: string;
  figures?: Record<string, number | string>;
}

export interface FaultContext {
  stack: FaultStack;
  queue: Queue;
  /** Frames the feeder has pushed so far. */
  framesPushed(): number;
}

export interface Fault {
  /** The fault starts once this many frames were pushed; the feeder keeps pushing meanwhile. */
  atFrame: number;
  inject(ctx: FaultContext): Promise<FaultOutcome>;
}

export interface FaultRunOptions {
  services: FaultServices;
  camera: CameraSetup;
  /** The decoded clip; looped to reach totalFrames. */
  jpegs: readonly Buffer[];
  totalFrames: number;
  /** Frames pushed per second of wall clock (capture times follow camera.sampleFps regardless). */
  pushFps: number;
  /** Capture time of frame 0 (epoch ms, a minute boundary). */
  startMs: number;
  workers: number;
  fault?: Fault;
  /** Role settings (IOC_* variables) of this run only, over the shared knobs: ones that must not change what is stored. */
  env?: Record<string, string>;
}

export interface StoredRun {
  /** traffic_counts and zone_stats rows as sorted lines of text, written_at left out: equal text, equal rows. */
  counts: string[];
  zones: string[];
  /** Every alert's key without its camera (rule:subject:start), sorted; a key twice would be an alert raised twice. */
  alertKeys: string[];
  wallMs: number;
  /** Of wallMs: the feeder's pushing, then the fault's end, the drain and the analyzer's idle commit. */
  feedMs: number;
  drainMs: number;
  /** Pushes the feeder had to repeat (Redis away). */
  pushRetries: number;
  /** The analyzer's idle commits: 1 at the end of the run; more means it went idle mid-run. */
  idleCommits: number;
  outcome: FaultOutcome | null;
}

const DRAIN_TIMEOUT_MS = 120_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export async function runWithFault(options: FaultRunOptions): Promise<StoredRun> {
  const started = Date.now();
  const stack = await FaultStack.create(options.services, options.camera, options.env);
  const sink = new BullmqFrameSink(stack.config);
  const queue = framesQueueOf(stack);
  try {
    await startRoles(stack, options.workers);
    const feedStarted = Date.now();
    const { pushRetries, fault } = await feed(options, stack, sink, queue);
    const fed = Date.now();
    const outcome = fault ? await fault : null;
    await waitForEnd(stack, queue);
    const rows = await storedRows(stack);
    const wallMs = Date.now() - started;
    return {
      ...rows,
      wallMs,
      feedMs: fed - feedStarted,
      drainMs: Date.now() - fed,
      pushRetries,
      idleCommits: idleCommitsOf(stack),
      outcome,
    };
  } catch (err) {
    throw withRoleLogs(err, stack);
  } finally {
    await sink.close();
    await queue.close().catch(() => undefined);
    await stack.close();
  }
}

/** The analyzer and `workers` workers of a stack, each resolved once it serves. */
export async function startRoles(stack: FaultStack, workers: number): Promise<void> {
  await Promise.all([
    stack.spawnRole('analyzer', 'analyzer'),
    ...Array.from({ length: workers }, (_, i) => stack.spawnRole('worker', `worker-${i + 1}`)),
  ]);
}

/** A handle on the stack's "frames" queue, for its counts (closed by the caller). */
export function framesQueueOf(stack: FaultStack): Queue {
  const queue = new Queue(redisQueues.frames, {
    connection: { url: stack.config.redis.url, maxRetriesPerRequest: null } as never,
    prefix: stack.config.redis.prefix,
  });
  queue.on('error', () => undefined);
  return queue;
}

/** The analyzers' idle commits so far: 1 at the end of a run; more means one went idle mid-run. */
export function idleCommitsOf(stack: FaultStack): number {
  return stack.roles.filter((r) => r.role === 'analyzer').reduce((n, r) => n + r.idleCommits, 0);
}

/** The error with the last lines each role logged, so a failed run says what the processes saw. */
export function withRoleLogs(err: unknown, stack: FaultStack): Error {
  const tails = stack.roles.map(
    (r) => `--- ${r.name} (exit ${r.child.exitCode ?? r.child.signalCode})\n${r.logTail.slice(-15).join('\n')}`,
  );
  return new Error(`${(err as Error).message}\n${tails.join('\n')}`);
}

/**
 * Pushes every frame at the pace asked. A live camera would drop the frames that arrive while Redis is away;
 * a replay retries each until Redis takes it, so the faulted run sees the same frames as the baseline: that is
 * what makes the comparison exact. A push repeated after a half-done attempt is harmless: the job id is
 * camera:seq, and a result that ends up published twice is dropped by the analyzer's re-order buffer.
 */
async function feed(options: FaultRunOptions, stack: FaultStack, sink: BullmqFrameSink, queue: Queue) {
  const intervalMs = 1000 / options.camera.sampleFps;
  const { widthPx, heightPx } = options.camera.firstFrameSizePx;
  const t0 = Date.now();
  let pushRetries = 0;
  let fault: Promise<FaultOutcome> | null = null;
  let pushed = 0;
  for (let seq = 0; seq < options.totalFrames; seq++) {
    if (options.fault && seq === options.fault.atFrame)
      fault = options.fault.inject({ stack, queue, framesPushed: () => pushed });
    const delayMs = t0 + (seq * 1000) / options.pushFps - Date.now();
    if (delayMs > 0) await sleep(delayMs);
    const frame = {
      cameraId: stack.cameraId,
      seq,
      capturedAtMs: options.startMs + Math.round(seq * intervalMs),
      jpeg: options.jpegs[seq % options.jpegs.length]!,
      widthPx,
      heightPx,
    };
    for (;;) {
      try {
        await sink.push(frame);
        pushed += 1;
        break;
      } catch {
        pushRetries += 1;
        await sleep(100);
      }
    }
    const dead = stack.deadRole();
    if (dead) throw new Error(`${dead.name} died (${dead.child.exitCode})`);
  }
  // A fault that failed must fail the run at once, not after the drain timeout.
  fault?.catch(() => undefined);
  return { pushRetries, fault };
}

/** Every frame detected (queue empty, none failed), then the analyzer's idle commit: the open minute and ended alerts stored. */
export async function waitForEnd(stack: FaultStack, queue: Queue): Promise<void> {
  await waitUntil(
    'every frame detected',
    async () => {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed');
      if (counts.failed! > 0) throw new Error(`${counts.failed} frames failed`);
      return counts.waiting! + counts.active! + counts.delayed! + counts.prioritized! === 0;
    },
    DRAIN_TIMEOUT_MS,
    100,
  );
  const failed = await queue.getFailedCount();
  if (failed > 0) throw new Error(`${failed} frames failed for good`);
  // The idle flush comes idleFlushMs after the last result: a commit counted from here on is the run's end.
  const analyzer = stack.role('analyzer');
  const before = analyzer.idleCommits;
  await waitUntil(
    'the analyzer idle commit',
    async () => stack.role('analyzer').idleCommits > before,
    DRAIN_TIMEOUT_MS,
    100,
  );
}

export async function storedRows(
  stack: FaultStack,
  cameraId = stack.cameraId,
): Promise<Pick<StoredRun, 'counts' | 'zones' | 'alertKeys'>> {
  const pool = stack.db.pool;
  const counts = await pool.query(
    `SELECT minute, line_id, direction, class, count, speed_sum_kmh, speed_samples FROM traffic_counts WHERE camera_id = $1`,
    [cameraId],
  );
  const zones = await pool.query(
    `SELECT minute, zone_id, class, occupancy_sum, occupancy_max, samples, density_sum FROM zone_stats WHERE camera_id = $1`,
    [cameraId],
  );
  const alerts = await pool.query<{ key: string }>('SELECT key FROM alerts WHERE camera_id = $1', [cameraId]);
  const line = (row: Record<string, unknown>) =>
    JSON.stringify(Object.values(row).map((v) => (v instanceof Date ? v.toISOString() : v)));
  return {
    counts: counts.rows.map(line).sort(),
    zones: zones.rows.map(line).sort(),
    // The camera's id starts the key and differs per run: compared without it.
    alertKeys: alerts.rows.map((r) => r.key.replace(`${cameraId}:`, '')).sort(),
  };
}
