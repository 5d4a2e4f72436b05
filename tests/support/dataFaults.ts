// The data-path faults a fault run can inject (Redis restart, PostgreSQL restart, SIGKILL of a worker or the
// analyzer), each measuring its own recovery: fault cleared → results analysed / rows written again.
import { readResults } from '../../inference/results.ts';
import { compareStreamIds } from '../../analyzer/streamTrim.ts';
import { waitUntil, type Fault, type FaultContext } from './faultRun.ts';
import type { PrivatePostgres, PrivateRedis } from '../../harness/privateServices.ts';

const RECOVERY_TIMEOUT_MS = 60_000;

/** mulberry32: a seeded generator, so a reported seed replays the same fault moments. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Time until a result published after `afterId` has been analysed and checkpointed. */
async function untilAnalysedPast(ctx: FaultContext, afterId: string): Promise<void> {
  await waitUntil(
    'a new result analysed',
    async () => compareStreamIds(await ctx.stack.checkpointStreamId(), afterId) > 0,
    RECOVERY_TIMEOUT_MS,
  );
}

/**
 * The private Redis (AOF, fsync always) goes down and comes back: a graceful restart (every connection drops,
 * every client reconnects), or a kill -9 and a start on the same data dir, where only what the AOF holds
 * survives, which with an fsync per write is every write a client was told had succeeded.
 */
function redisDown(atFrame: number, redis: PrivateRedis, how: 'restart' | 'crash'): Fault {
  return {
    atFrame,
    async inject(ctx) {
      const downAt = Date.now();
      if (how === 'restart') await redis.restart();
      else await redis.crash().then(() => redis.start());
      const clearedAt = Date.now();
      const lastId = await ctx.stack.newestResultId();
      await untilAnalysedPast(ctx, lastId);
      const what = how === 'crash' ? 'SIGKILL, then started on its AOF; ' : '';
      return {
        recoveryMs: Date.now() - clearedAt,
        notes: `at frame ${atFrame}; ${what}recovery: Redis answering again → a result published after it analysed and checkpointed`,
        figures: { faultAtFrame: atFrame, downMs: clearedAt - downAt },
      };
    },
  };
}

export const redisRestart = (atFrame: number, redis: PrivateRedis): Fault => redisDown(atFrame, redis, 'restart');
export const redisCrash = (atFrame: number, redis: PrivateRedis): Fault => redisDown(atFrame, redis, 'crash');

/** pg_ctl restart -m fast: the analyzer's connections are killed; rows and alert signals wait in memory. */
export function postgresRestart(atFrame: number, postgres: PrivatePostgres): Fault {
  return {
    atFrame,
    async inject(ctx) {
      const downAt = Date.now();
      await postgres.restart();
      const clearedAt = Date.now();
      let writtenAt = 0;
      await waitUntil(
        'a row written after the restart',
        async () => (writtenAt = await ctx.stack.lastWriteMs()) > clearedAt,
        RECOVERY_TIMEOUT_MS,
      );
      return {
        recoveryMs: writtenAt - clearedAt,
        notes: `at frame ${atFrame}; recovery: PostgreSQL accepting connections → the analyzer's first row (count, zone or alert) written`,
        figures: { faultAtFrame: atFrame, downMs: clearedAt - downAt },
      };
    },
  };
}

/**
 * PostgreSQL stopped (pg_ctl stop -m fast) for outageMs while the feeder keeps pushing: the analyzer keeps
 * counts and alert signals in memory, stops reading at analyzer.pendingMaxRows and holds its checkpoint back;
 * once PostgreSQL is started again everything waiting is written.
 */
export function postgresOutage(atFrame: number, postgres: PrivatePostgres, outageMs: number): Fault {
  return {
    atFrame,
    async inject(ctx) {
      const pushedAtStop = ctx.framesPushed();
      // What the analyzer says it holds while rows are refused (logged at most every 10 s): the bound at work.
      let pendingMaxLogged = 0;
      const onLine = (line: string) => {
        if (!line.includes('rows not written')) return;
        try {
          const said = JSON.parse(line) as { pendingRows?: number; pendingAlerts?: number };
          pendingMaxLogged = Math.max(pendingMaxLogged, (said.pendingRows ?? 0) + (said.pendingAlerts ?? 0));
        } catch {
          // not a pino line: nothing to read
        }
      };
      const analyzer = ctx.stack.role('analyzer');
      analyzer.lineListeners.add(onLine);
      const downAt = Date.now();
      await postgres.stop();
      // The fault's length, not a wait for an event: the outage is held this long whatever happens meanwhile.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, downAt + outageMs - Date.now())));
      const pushedDuringOutage = ctx.framesPushed() - pushedAtStop;
      // Results the analyzer has not checkpointed: they wait in Redis, or their rows and signals in its memory.
      const resultsPastCheckpoint = await ctx.stack.resultsAfter(await ctx.stack.checkpointStreamId());
      await postgres.start();
      const clearedAt = Date.now();
      const newestAtClear = await ctx.stack.newestResultId();
      let writtenAt = 0;
      await waitUntil(
        'a row written after the outage',
        async () => (writtenAt = await ctx.stack.lastWriteMs()) > clearedAt,
        RECOVERY_TIMEOUT_MS,
      );
      // What piled up meanwhile written and checkpointed: the analyzer caught up with the stream as it stood.
      await waitUntil(
        'the backlog written',
        async () => compareStreamIds(await ctx.stack.checkpointStreamId(), newestAtClear) >= 0,
        RECOVERY_TIMEOUT_MS,
      );
      const caughtUpMs = Date.now() - clearedAt;
      analyzer.lineListeners.delete(onLine);
      // With rows and alert signals unwritten the checkpoint must stay behind them (a crash then replays them).
      if (resultsPastCheckpoint === 0)
        throw new Error('the analyzer checkpointed everything while PostgreSQL was away');
      return {
        recoveryMs: writtenAt - clearedAt,
        notes: `at frame ${atFrame}, down ${Math.round((clearedAt - downAt) / 1000)} s while frames were pushed; the checkpoint stayed behind what waited; recovery: PostgreSQL accepting connections → the analyzer's first row written (caughtUpMs: → the backlog written and checkpointed)`,
        figures: {
          faultAtFrame: atFrame,
          downMs: clearedAt - downAt,
          pushedDuringOutage,
          resultsPastCheckpoint,
          pendingMaxLogged,
          caughtUpMs,
        },
      };
    },
  };
}

/**
 * SIGKILL of worker-1 while it holds a frame (so that frame must be taken over from its expired lock) while
 * worker-2 keeps working; worker-1 is started again at once.
 */
export function workerKill(atFrame: number): Fault {
  return {
    atFrame,
    async inject(ctx) {
      const victim = ctx.stack.role('worker-1');
      let held: number[] = [];
      // Read before the active list: a held frame whose result lands between the two reads is still seen below.
      let fromId = '0';
      await waitUntil(
        'worker-1 holding a frame',
        async () => {
          fromId = await ctx.stack.newestResultId();
          const active = await ctx.queue.getActive();
          held = active
            .filter((job) => job.processedBy?.endsWith(`:${victim.child.pid}`))
            .map((job) => Number(job.data.seq));
          return held.length > 0;
        },
        RECOVERY_TIMEOUT_MS,
        10,
      );
      const killedAt = Date.now();
      await ctx.stack.kill('worker-1');
      const restart = ctx.stack.spawnRole('worker', 'worker-1');
      // The held frames' results: by worker-2 or the new worker-1 after the kill (or by worker-1 just before it).
      const missing = new Set(held);
      let afterId = fromId;
      await waitUntil(
        'the held frames taken over',
        async () => {
          for (const entry of await readResults(ctx.stack.redis, ctx.stack.config.redis.prefix, ctx.stack.cameraId, {
            afterId,
          })) {
            afterId = entry.id;
            missing.delete(entry.result.seq);
          }
          return missing.size === 0;
        },
        RECOVERY_TIMEOUT_MS,
      );
      const recoveredAt = Date.now();
      await restart;
      return {
        recoveryMs: recoveredAt - killedAt,
        notes: `at frame ${atFrame}, holding seq ${held.join(',')}; recovery: SIGKILL → the held frames' results published (lock expiry, stalled-job takeover)`,
        figures: { faultAtFrame: atFrame, heldSeq: held.join(','), restartReadyMs: Date.now() - killedAt },
      };
    },
  };
}

/** SIGKILL of the analyzer (no lease released, nothing flushed) and a new one started at once. */
export function analyzerKill(atFrame: number): Fault {
  return {
    atFrame,
    async inject(ctx) {
      const checkpointAtKill = await ctx.stack.checkpointStreamId();
      const killedAt = Date.now();
      await ctx.stack.kill('analyzer');
      await ctx.stack.spawnRole('analyzer', 'analyzer');
      const readyAt = Date.now();
      await untilAnalysedPast(ctx, checkpointAtKill);
      const recoveredAt = Date.now();
      return {
        recoveryMs: recoveredAt - readyAt,
        notes: `at frame ${atFrame}; recovery: new analyzer ready → its first checkpoint past the dead one's (the dead one's ${ctx.stack.config.analyzer.leaseTtlMs} ms lease expires while the new one starts; kill → recovered in figures)`,
        figures: {
          faultAtFrame: atFrame,
          killToRecoveredMs: recoveredAt - killedAt,
          restartReadyMs: readyAt - killedAt,
        },
      };
    },
  };
}
