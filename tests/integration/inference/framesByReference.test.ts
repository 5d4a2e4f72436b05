// Frames travel by reference: the sink stores each JPEG once in Redis (binary, for queue.frameWaitMaxMs) and the
// job names it; the worker reads it there; a JPEG gone before a worker took it is a dropped frame, counted and marked.
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BullmqFrameSink, readDroppedFrames } from '../../../inference/frameSink.ts';
import { frameJobId } from '../../../inference/frameJob.ts';
import { readResults } from '../../../inference/results.ts';
import { startInferenceWorker } from '../../../inference/worker.ts';
import { capturingLogger, deletePrefixKeys, readAsset, readSkips, testConfig, waitFor } from './helpers.ts';
import { createRedis, redisKeys, redisQueues } from '../../../core/redis.ts';

const config = testConfig({ queue: { maxWaitingPerCamera: 2, frameWaitMaxMs: 20_000 } });
const prefix = config.redis.prefix;
let redis: Redis;
let queue: Queue;
let dog: Buffer;

beforeAll(async () => {
  redis = createRedis(config.redis.url, 'request');
  queue = new Queue(redisQueues.frames, { connection: redis, prefix });
  dog = await readAsset(config, 'images/dog.jpg');
});
afterAll(async () => {
  await queue?.close();
  await deletePrefixKeys(redis, prefix);
  await redis.quit();
});

const frame = (cameraId: string, seq: number) => ({
  cameraId,
  seq,
  capturedAtMs: Date.now(),
  jpeg: dog,
  widthPx: 768,
  heightPx: 576,
});

describe('frames by reference', () => {
  it('stores the JPEG once, binary, for frameWaitMaxMs, and queues only its ids and sizes', async () => {
    const sink = new BullmqFrameSink(config);
    try {
      await sink.push(frame('cam-ref', 1));
    } finally {
      await sink.close();
    }
    const key = redisKeys.frame(prefix, 'cam-ref', 1);
    expect((await redis.getBuffer(key))?.equals(dog)).toBe(true);
    const ttlMs = await redis.pttl(key);
    expect(ttlMs).toBeGreaterThan(10_000);
    expect(ttlMs).toBeLessThanOrEqual(20_000);
    const job = await queue.getJob(frameJobId('cam-ref', 1));
    expect(Object.keys(job!.data).sort()).toEqual(
      ['cameraId', 'capturedAtMs', 'enqueuedAtMs', 'heightPx', 'jpegBytes', 'seq', 'widthPx'].sort(),
    );
    expect(job!.data.jpegBytes).toBe(dog.length);
  });

  it('deletes the JPEG and, through BullMQ, the job of a frame the backlog bound drops', async () => {
    const sink = new BullmqFrameSink(config);
    try {
      for (const seq of [1, 2, 3]) await sink.push(frame('cam-bound', seq));
    } finally {
      await sink.close();
    }
    expect(await readDroppedFrames(redis, prefix)).toMatchObject({ 'cam-bound': 1 });
    expect(await redis.exists(redisKeys.frame(prefix, 'cam-bound', 1))).toBe(0);
    expect(await queue.getJob(frameJobId('cam-bound', 1))).toBeUndefined();
    expect(await redis.zrange(redisKeys.waitingFrames(prefix, 'cam-bound'), '0', '-1')).toEqual([
      frameJobId('cam-bound', 2),
      frameJobId('cam-bound', 3),
    ]);
    expect(await redis.exists(redisKeys.frame(prefix, 'cam-bound', 2), redisKeys.frame(prefix, 'cam-bound', 3))).toBe(
      2,
    );
  });

  it('counts a frame whose JPEG expired before a worker took it as dropped, marks it skipped, and goes on', async () => {
    const sink = new BullmqFrameSink(config);
    try {
      await sink.push(frame('cam-expired', 5));
      await sink.push(frame('cam-expired', 6));
    } finally {
      await sink.close();
    }
    // What frameWaitMaxMs does to a frame nobody took in time, without waiting for it.
    await redis.del(redisKeys.frame(prefix, 'cam-expired', 5));
    // A job the sink dropped (popped from the set, JPEG deleted, counted and marked) before its removal reached
    // BullMQ: the worker that takes it must neither analyse it nor count it a second time.
    const { jpeg: _jpeg, ...dropped } = frame('cam-expired', 4);
    await queue.add('frame', { ...dropped, jpegBytes: dog.length }, { jobId: frameJobId('cam-expired', 4) });
    const { logger, records } = capturingLogger();
    const worker = await startInferenceWorker(config, logger);
    try {
      const results = await waitFor(
        async () => {
          const entries = await readResults(redis, prefix, 'cam-expired');
          return entries.length > 0 ? entries : undefined;
        },
        30_000,
        'the result of the frame whose JPEG was there',
      );
      expect(results.map((e) => e.result.seq)).toEqual([6]);
      expect(await readSkips(redis, prefix, 'cam-expired')).toEqual([
        { cameraId: 'cam-expired', seq: 5, reason: 'dropped' },
      ]);
      expect((await readDroppedFrames(redis, prefix))['cam-expired']).toBe(1);
      expect(await queue.getFailedCount()).toBe(0);
      const job4 = await waitFor(
        async () => {
          const job = await queue.getJob(frameJobId('cam-expired', 4));
          return job?.finishedOn ? job : undefined;
        },
        10_000,
        'job 4 done',
      );
      expect(job4.returnvalue).toEqual({ detections: 0 });
      expect(job4.failedReason).toBeFalsy();
      expect((await readDroppedFrames(redis, prefix))['cam-expired']).toBe(1);
      expect((await readSkips(redis, prefix, 'cam-expired')).map((s) => s.seq)).toEqual([5]);
      expect(records.some((r) => /JPEG gone before a worker took it/.test(String(r.msg)))).toBe(true);
    } finally {
      await worker.close();
    }
  });
});
