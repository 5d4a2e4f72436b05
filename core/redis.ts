// Redis for every room: the one connection factory (one reconnect policy, a named variant per use) and every
// key, channel and queue name, so a reader finds all of Redis in one file (as BullMQ keeps its QueueKeys).
import { Redis, type RedisOptions } from 'ioredis';

/** Upper bound of the reconnect backoff: a Redis back after an outage is found within this (plus jitter). */
export const RECONNECT_MAX_DELAY_MS = 5000;
const RECONNECT_FIRST_DELAY_MS = 50;
const RECONNECT_JITTER_MS = 200;

/**
 * Wait before reconnect attempt `attempt` (1, 2, …): doubling from 50 ms, capped at 5 s, plus up to 200 ms
 * of jitter so processes cut off together do not all knock at once. It never gives up: a process outlives
 * any Redis outage. (ioredis 6's own default, written down so every connection follows it on purpose.)
 */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const backoff = Math.min(RECONNECT_FIRST_DELAY_MS * 2 ** Math.max(0, attempt - 1), RECONNECT_MAX_DELAY_MS);
  return backoff + Math.floor(random() * RECONNECT_JITTER_MS);
}

/**
 * What a connection is for; each kind says what happens to a command sent while Redis is away.
 * - `queue`: BullMQ queues and workers, blocking reads (XREAD BLOCK), processes that must not lose a write:
 *   a command waits through any reconnect (BullMQ requires maxRetriesPerRequest null).
 * - `request`: serving an HTTP request, or a one-off command of a tool or test: it fails after one reconnect
 *   attempt, so the caller answers with an error instead of hanging.
 * - `subscriber`: (P)SUBSCRIBE only: never failed by a reconnect; ioredis subscribes again once back.
 */
export type RedisConnectionKind = 'queue' | 'request' | 'subscriber';

const RETRIES_PER_REQUEST: Record<RedisConnectionKind, number | null> = { queue: null, request: 1, subscriber: null };

export interface RedisConnectionOptions {
  /** CLIENT SETNAME of the connection (seen in CLIENT LIST); none by default. */
  connectionName?: string;
  /** Connect on the first command (or connect()) instead of at once. Default false. */
  lazyConnect?: boolean;
}

/** The ioredis options of a connection of this kind: exported so a test can pin the policy without a server. */
export function redisOptionsFor(kind: RedisConnectionKind, options: RedisConnectionOptions = {}): RedisOptions {
  return {
    maxRetriesPerRequest: RETRIES_PER_REQUEST[kind],
    retryStrategy: (attempt) => reconnectDelayMs(attempt),
    enableReadyCheck: true,
    lazyConnect: options.lazyConnect ?? false,
    ...(options.connectionName === undefined ? {} : { connectionName: options.connectionName }),
  };
}

/** Opens a connection to `url` (config redis.url). The only `new Redis(` of the code base. */
export function createRedis(url: string, kind: RedisConnectionKind, options: RedisConnectionOptions = {}): Redis {
  return new Redis(url, redisOptionsFor(kind, options));
}

/** Quits a connection, falling back to disconnect when it is already broken; never throws. */
export async function quitRedis(redis: Redis): Promise<void> {
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}

/** BullMQ queue names (a queue's own keys live under `${prefix}:${name}:`, BullMQ's layout). */
export const redisQueues = {
  /** Sampled frames waiting for a worker (inference/frameJob.ts FrameJobData). */
  frames: 'frames',
} as const;

const framePrefix = (prefix: string, cameraId: string) => `${prefix}:frame:${cameraId}:`;

/** Every Redis key, each under the deployment prefix (config redis.prefix). */
export const redisKeys = {
  /** Pattern of every key of a deployment (SCAN/KEYS MATCH): what a test or bench run deletes after itself. */
  all: (prefix: string) => `${prefix}:*`,

  /**
   * Sorted set (score = seq) of one camera's frames still waiting: the backlog bounded by K, and the arbiter
   * between the sink (ZPOPMIN: dropped) and the workers (ZREM: taken) of each frame.
   */
  waitingFrames: (prefix: string, cameraId: string) => `${prefix}:inference:waiting:${cameraId}`,
  /** Hash: camera id → frames dropped by backpressure since the key was created. */
  droppedFrames: (prefix: string) => `${prefix}:inference:dropped`,
  /** Hash: camera id → AnalysisPlan JSON. A camera without an entry is analysed on the whole frame. */
  analysisPlans: (prefix: string) => `${prefix}:inference:regions`,
  /**
   * Stream of one camera's results, oldest first, capped at queue.resultsMaxLen (approximate): `result` entries
   * and `skip` entries (core/inferenceResult.ts SkippedFrame: seqs that will never have a result). Delivery is
   * at least once: a worker killed after publishing and before acknowledging its job publishes the frame again
   * from another worker, so a reader de-duplicates by seq (and re-orders by seq).
   */
  results: (prefix: string, cameraId: string) => `${prefix}:results:${cameraId}`,
  /**
   * A sampled frame's JPEG, binary, stored once by the frame sink for queue.frameWaitMaxMs; the worker reads it by
   * this key (the frame job carries no pixels) and, once analysed, keeps it alerts.frameRetentionMs for snapshots.
   */
  frame: (prefix: string, cameraId: string, seq: number) => `${framePrefix(prefix, cameraId)}${seq}`,
  /** The start of every frame key of one camera: the frame key is this followed by the seq. */
  framePrefix,

  /** Lease of one camera: its analyzer's id, with a TTL (analyzer/leases.ts). */
  lease: (prefix: string, cameraId: string) => `${prefix}:analyzer:lease:${cameraId}`,
  /** Sorted set: analyzer id → Redis time (ms) of its last heartbeat. */
  analyzers: (prefix: string) => `${prefix}:analyzer:members`,
  /** A camera's analysis checkpoint (analyzer/checkpoints.ts CameraCheckpoint JSON). */
  checkpoint: (prefix: string, cameraId: string) => `${prefix}:analyzer:checkpoint:${cameraId}`,
  /**
   * Hash: camera id → JSON SceneCutTotals, written by the camera's analyzer after each checkpoint (so the
   * totals never run ahead of what a takeover resumes from). Read by /metrics and camera health.
   */
  sceneCuts: (prefix: string) => `${prefix}:analysis:sceneCuts`,
  /** Hash: camera id → JSON AnalysisActivity, written by the camera's analyzer with its checkpoint. */
  analysisActivity: (prefix: string) => `${prefix}:analysis:activity`,
} as const;

/** Every pub/sub channel and channel pattern, under the deployment prefix. */
export const redisChannels = {
  /** A camera was created, changed or deleted through the API: ingest reconciles at once. */
  cameraChanges: (prefix: string) => `${prefix}:cameras:changed`,
  /** Every stored alert change (payload: core/alerts.ts AlertMessage). */
  alerts: (prefix: string) => `${prefix}:alerts`,
  /** Latest tracks of one camera, throttled to one message per analyzer.liveIntervalMs (LiveTracksMessage). */
  liveTracks: (prefix: string, cameraId: string) => `${prefix}:live:${cameraId}`,
  /** Pattern matching every camera's live tracks channel (PSUBSCRIBE). */
  liveTracksPattern: (prefix: string) => `${prefix}:live:*`,
  /** Line crossings and zone enter/exit events of one camera, every one of them (AnalyticsEvent). */
  analyticsEvents: (prefix: string, cameraId: string) => `${prefix}:events:${cameraId}`,
  /** Pattern matching every camera's events channel (PSUBSCRIBE). */
  analyticsEventsPattern: (prefix: string) => `${prefix}:events:*`,
} as const;
