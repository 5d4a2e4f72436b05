// The FrameSink ingest hands frames to: stores each frame's JPEG once in Redis (binary, for queue.frameWaitMaxMs)
// and puts its ids on the BullMQ "frames" queue, keeping at most K frames of a camera waiting. Beyond K the
// oldest waiting frame of that camera is dropped, counted and marked.
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../core/config.ts';
import type { Frame, FrameSink } from '../core/frames.ts';
import type { SourceEnd } from '../core/inferenceResult.ts';
import {
  FRAME_JOB_NAME,
  SOURCE_END_JOB_NAME,
  frameJobId,
  sourceEndJobId,
  toFrameJobData,
  type FrameJobData,
} from './frameJob.ts';
import { createRedis, quitRedis, redisKeys, redisQueues } from '../core/redis.ts';

// Atomic, and the camera's waiting set is the only arbiter, so a frame is either analysed or dropped, never both:
// a worker that takes a frame ZREMs its id (inference/worker.ts), and this pops the camera's oldest waiting ids
// until `keep` remain. A popped frame is dropped: its JPEG deleted, counted, and marked by a skip entry in the
// camera's results stream in the same step (as are frames dropped earlier in the sink: ARGV[10..]), so the
// analyzer knows at once that the seq will never come (the set's score is the seq). Its job is left to BullMQ:
// the sink removes it through Queue.remove, and a worker that takes it first finds it popped and does nothing.
// With a new frame (ARGV[6] not empty), its JPEG is stored under its frame key for ARGV[9] ms and its id joins
// the set, in the same round trip; the job that names it is added next. Returns the dropped frames' job ids.
const TRIM_BACKLOG_LUA = `
local dropped = {}
local keep = tonumber(ARGV[1])
local camera = cjson.encode(ARGV[2])
local function skip(seq)
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[4], '*', 'skip', '{"cameraId":' .. camera .. ',"seq":' .. seq .. ',"reason":"dropped"}')
end
while redis.call('ZCARD', KEYS[1]) > keep do
  local popped = redis.call('ZPOPMIN', KEYS[1])
  redis.call('DEL', ARGV[5] .. popped[2])
  skip(popped[2])
  dropped[#dropped + 1] = popped[1]
end
for i = 10, #ARGV do skip(ARGV[i]) end
local counted = #dropped + tonumber(ARGV[3])
if counted > 0 then redis.call('HINCRBY', KEYS[2], ARGV[2], counted) end
if ARGV[6] ~= '' then
  redis.call('SET', ARGV[5] .. ARGV[6], ARGV[8], 'PX', ARGV[9])
  redis.call('ZADD', KEYS[1], ARGV[6], ARGV[7])
end
return dropped`;

/**
 * Seqs of frames dropped in the sink kept per camera for their skip entries; beyond it they are only counted
 * (Redis away that long: the analyzer then waits its reorderMaxWaitMs for them, as for a frame in flight).
 */
const LOCAL_SKIPS_MAX = 1000;

const EVENTS_MAX_LEN = 500;

type SinkConfig = Pick<Config, 'redis' | 'queue'>;

export interface BullmqFrameSinkOptions {
  /** Clock for enqueuedAtMs; Date.now by default. */
  nowMs?: () => number;
}

export class BullmqFrameSink implements FrameSink {
  private readonly redis: Redis;
  private readonly queue: Queue<FrameJobData | SourceEnd>;
  /** Pushes of one camera run one after another so the backlog check and the add never interleave. */
  private readonly tails = new Map<string, Promise<void>>();
  /** Pushes of a camera not yet on Redis; bounded by K so a slow or absent Redis cannot pile frames up here. */
  private readonly pending = new Map<string, number>();
  /** Frames dropped here (Redis too slow), counted and marked skipped in Redis by the camera's next push. */
  private readonly droppedLocally = new Map<string, { count: number; seqs: number[] }>();
  private readonly nowMs: () => number;
  private closing: Promise<void> | null = null;

  constructor(
    private readonly config: SinkConfig,
    options: BullmqFrameSinkOptions = {},
  ) {
    this.nowMs = options.nowMs ?? Date.now;
    this.redis = createRedis(config.redis.url, 'queue', { connectionName: 'ioc-frame-sink' });
    this.redis.defineCommand('iocTrimBacklog', { numberOfKeys: 3, lua: TRIM_BACKLOG_LUA });
    this.queue = new Queue<FrameJobData | SourceEnd>(redisQueues.frames, {
      connection: this.redis,
      prefix: config.redis.prefix,
      // Nobody listens to this queue's event stream (results have their own streams): keep it short.
      streams: { events: { maxLen: EVENTS_MAX_LEN } },
      defaultJobOptions: {
        attempts: config.queue.attempts,
        backoff: { type: 'fixed', delay: config.queue.backoffMs },
        removeOnComplete: true,
        removeOnFail: { count: config.queue.failedKeep },
      },
    });
  }

  /**
   * The camera's source ended: the marker goes on the queue behind the camera's frames pushed so far (after
   * them, on the same per-camera chain). It is never dropped by backpressure (not in the camera's backlog),
   * so the analyzer always meets it; resolves once it is on the queue.
   */
  endSource(end: SourceEnd): Promise<void> {
    if (this.closing) return Promise.reject(new Error('frame sink is closed'));
    return this.afterCameraPushes(end.cameraId, async () => {
      await this.queue.add(SOURCE_END_JOB_NAME, end, { jobId: sourceEndJobId(end.cameraId, end.seq) });
    });
  }

  /** Resolves once the frame is on the queue (and an older one possibly dropped). */
  push(frame: Frame): Promise<void> {
    if (this.closing) return Promise.reject(new Error('frame sink is closed'));
    const camera = frame.cameraId;
    const pending = this.pending.get(camera) ?? 0;
    if (pending >= this.config.queue.maxWaitingPerCamera) {
      // Redis is not keeping up with this camera: the newest frame is the only one not yet sent; drop it.
      const local = this.droppedLocally.get(camera) ?? { count: 0, seqs: [] };
      local.count += 1;
      if (local.seqs.length < LOCAL_SKIPS_MAX) local.seqs.push(frame.seq);
      this.droppedLocally.set(camera, local);
      return Promise.resolve();
    }
    this.pending.set(camera, pending + 1);
    return this.afterCameraPushes(
      camera,
      () => this.enqueue(frame),
      () => {
        const left = (this.pending.get(camera) ?? 1) - 1;
        if (left > 0) this.pending.set(camera, left);
        else this.pending.delete(camera);
      },
    );
  }

  /**
   * Runs `work` after the camera's earlier pushes (one after another, so the backlog check and the add never
   * interleave); `settled` runs once it is done, failed or not. Resolves or rejects as `work` does.
   */
  private afterCameraPushes(camera: string, work: () => Promise<void>, settled?: () => void): Promise<void> {
    const previous = this.tails.get(camera) ?? Promise.resolve();
    const current = previous.then(work);
    const tail = current.catch(() => undefined).then(settled);
    this.tails.set(camera, tail);
    void tail.then(() => {
      if (this.tails.get(camera) === tail) this.tails.delete(camera);
    });
    return current;
  }

  private async enqueue(frame: Frame): Promise<void> {
    const jobId = frameJobId(frame.cameraId, frame.seq);
    // Make room first, so that the camera never has more than K frames waiting, even for an instant; the
    // JPEG is stored in the same step, once: the job carries only its ids and sizes.
    await this.trimBacklog(frame.cameraId, this.config.queue.maxWaitingPerCamera - 1, { frame, jobId });
    await this.queue.add(FRAME_JOB_NAME, toFrameJobData(frame, this.nowMs()), { jobId });
  }

  /**
   * Drops the camera's oldest waiting frames beyond `keep`, and records them and the sink's own drops; then
   * stores `next`'s JPEG (for queue.frameWaitMaxMs) and adds it to the camera's waiting frames.
   */
  private async trimBacklog(cameraId: string, keep: number, next?: { frame: Frame; jobId: string }): Promise<number> {
    const prefix = this.config.redis.prefix;
    const local = this.droppedLocally.get(cameraId) ?? { count: 0, seqs: [] };
    this.droppedLocally.delete(cameraId);
    const droppedJobIds = await (
      this.redis as Redis & { iocTrimBacklog: (...args: unknown[]) => Promise<string[]> }
    ).iocTrimBacklog(
      redisKeys.waitingFrames(prefix, cameraId),
      redisKeys.droppedFrames(prefix),
      redisKeys.results(prefix, cameraId),
      keep,
      cameraId,
      local.count,
      this.config.queue.resultsMaxLen,
      redisKeys.framePrefix(prefix, cameraId),
      next ? String(next.frame.seq) : '',
      next?.jobId ?? '',
      next?.frame.jpeg ?? '',
      this.config.queue.frameWaitMaxMs,
      ...local.seqs.map(String),
    );
    // Already dropped, counted and marked: removing the jobs only keeps the queue as short as the backlog. One a
    // worker holds stays (0, locked) and completes as a no-op; one not removed (sink gone) is taken as a no-op too.
    await Promise.all(droppedJobIds.map((jobId) => this.queue.remove(jobId, { removeChildren: false }).catch(() => 0)));
    return droppedJobIds.length;
  }

  /** Waits for pushes in flight, then closes the queue and its connection; idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.allSettled([...this.tails.values()]);
      // Drops not yet carried to Redis by a later push of their camera (nothing more is trimmed).
      for (const camera of [...this.droppedLocally.keys()]) {
        await this.trimBacklog(camera, Number.MAX_SAFE_INTEGER).catch(() => undefined);
      }
      await this.queue.close().catch(() => undefined);
      await quitRedis(this.redis);
    })();
    return this.closing;
  }
}

/** Frames dropped by backpressure, per camera (bench and tests; /metrics reads redisKeys.droppedFrames itself). */
export async function readDroppedFrames(redis: Redis, redisPrefix: string): Promise<Record<string, number>> {
  const raw = await redis.hgetall(redisKeys.droppedFrames(redisPrefix));
  return Object.fromEntries(Object.entries(raw).map(([camera, count]) => [camera, Number(count)]));
}
