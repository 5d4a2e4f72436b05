import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BullmqFrameSink, readDroppedFrames } from '../../../inference/frameSink.ts';
import { frameJobId } from '../../../inference/frameJob.ts';
import { readResults } from '../../../inference/results.ts';
import { startInferenceWorker, type InferenceWorkerHandle } from '../../../inference/worker.ts';
import { capturingLogger, deletePrefixKeys, readAsset, readSkips, testConfig, waitFor } from './helpers.ts';
import { createRedis, redisKeys, redisQueues } from '../../../core/redis.ts';

const config = testConfig({ queue: { attempts: 3, backoffMs: 100 } });
const prefix = config.redis.prefix;
const { logger, records } = capturingLogger();
let redis: Redis;
let sink: BullmqFrameSink;
let queue: Queue;
let worker: InferenceWorkerHandle;

beforeAll(async () => {
  redis = createRedis(config.redis.url, 'request');
  sink = new BullmqFrameSink(config);
  // The test's own connection (BullMQ leaves a connection it was given open; afterAll quits it).
  queue = new Queue(redisQueues.frames, { connection: redis, prefix });
  worker = await startInferenceWorker(config, logger);
});
afterAll(async () => {
  await worker?.close();
  await sink?.close();
  await queue?.close();
  await deletePrefixKeys(redis, prefix);
  await redis.quit();
});

describe('inference worker and poison frames', () => {
  it('rejects a corrupt JPEG, an empty frame and a frame of the wrong size with a reason, once, and keeps working', async () => {
    const dog = await readAsset(config, 'images/dog.jpg');
    const frame = (seq: number, jpeg: Buffer, widthPx = 768, heightPx = 576) => ({
      cameraId: 'cam-poison',
      seq,
      capturedAtMs: Date.now(),
      jpeg,
      widthPx,
      heightPx,
    });
    const corrupt = Buffer.concat([dog.subarray(0, 600), Buffer.alloc(4000, 0x55)]);
    await sink.push(frame(1, corrupt));
    await sink.push(frame(2, Buffer.alloc(0)));
    await sink.push(frame(3, dog, 960, 540));
    await sink.push(frame(4, dog));

    const results = await waitFor(
      async () => {
        const entries = await readResults(redis, prefix, 'cam-poison');
        return entries.length >= 1 ? entries : undefined;
      },
      60_000,
      'the good frame after the poison ones',
    );
    expect(results.map((e) => e.result.seq)).toEqual([4]);
    expect(results[0]!.result.detections.classIds.length).toBeGreaterThan(0);

    const failed = await waitFor(
      async () => {
        const jobs = await queue.getFailed();
        return jobs.length >= 3 ? jobs : undefined;
      },
      30_000,
      'three failed jobs',
    );
    const reasons = Object.fromEntries(
      failed.map((job) => [job.data.seq as number, { reason: job.failedReason, attempts: job.attemptsMade }]),
    );
    expect(reasons[1]!.reason).toMatch(/IOC_FRAME_REJECTED: JPEG (header is corrupt|does not decode)/);
    expect(reasons[2]!.reason).toMatch(/IOC_FRAME_REJECTED: frame is empty \(0 bytes\)/);
    expect(reasons[3]!.reason).toMatch(/IOC_FRAME_REJECTED: frame declared 960x540 but the JPEG is 768x576/);
    // Not retried, although 3 attempts are configured.
    for (const seq of [1, 2, 3]) expect(reasons[seq]!.attempts).toBe(1);
    expect(failed.map((job) => job.id).sort()).toEqual([1, 2, 3].map((seq) => frameJobId('cam-poison', seq)).sort());

    const logged = records.filter((r) => r.msg === 'frame rejected, not retried');
    expect(logged.map((r) => r.seq).sort()).toEqual([1, 2, 3]);
    expect(String(logged.find((r) => r.seq === 2)!.reason)).toMatch(/empty/);

    // Each rejected seq is marked skipped in the camera's results stream, so the analyzer does not wait for it.
    const skips = await readSkips(redis, prefix, 'cam-poison');
    expect(skips.map((s) => s.seq).sort()).toEqual([1, 2, 3]);
    expect(skips.every((s) => s.reason === 'rejected' && s.cameraId === 'cam-poison')).toBe(true);

    // Still working: one more good frame goes through.
    await sink.push(frame(5, dog));
    await waitFor(
      async () => (await readResults(redis, prefix, 'cam-poison')).some((e) => e.result.seq === 5),
      30_000,
      'frame 5',
    );
  });

  it('rejects job data that does not fit the frame-job schema, naming the fields, without retrying it', async () => {
    const dog = await readAsset(config, 'images/dog.jpg');
    const good = {
      cameraId: 'cam-shape',
      seq: 7,
      capturedAtMs: Date.now(),
      widthPx: 768,
      heightPx: 576,
      enqueuedAtMs: Date.now(),
      jpegBytes: dog.length,
    };
    const id = frameJobId('cam-shape', 7);
    await queue.add(
      'frame',
      { ...good, seq: 'seven', widthPx: -768, jpegBytes: undefined },
      { jobId: id, attempts: 3 },
    );
    const failed = await waitFor(
      async () => {
        const job = await queue.getJob(id);
        return job?.failedReason ? job : undefined;
      },
      30_000,
      'the misshapen job failed',
    );
    expect(failed.failedReason).toBe('IOC_FRAME_REJECTED: job data has invalid seq, widthPx, jpegBytes');
    expect(failed.attemptsMade).toBe(1);
    // Its seq is not an integer, so no skip entry can name it; a well-shaped job of the camera still goes through.
    await redis.set(redisKeys.frame(prefix, 'cam-shape', 8), dog, 'PX', config.queue.frameWaitMaxMs);
    await queue.add('frame', { ...good, seq: 8 }, { jobId: frameJobId('cam-shape', 8) });
    await waitFor(
      async () => (await readResults(redis, prefix, 'cam-shape')).some((e) => e.result.seq === 8),
      30_000,
      'frame 8',
    );
  });

  it('bounds a burst of pushes nobody awaits and counts every frame it drops', async () => {
    const dog = await readAsset(config, 'images/dog.jpg');
    const burst = Array.from({ length: 40 }, (_, seq) =>
      sink.push({ cameraId: 'cam-burst', seq, capturedAtMs: Date.now(), jpeg: dog, widthPx: 768, heightPx: 576 }),
    );
    await Promise.all(burst);
    const waiting = await queue.getWaitingCount();
    expect(waiting).toBeLessThanOrEqual(config.queue.maxWaitingPerCamera);
    await waitFor(
      async () => {
        const processed = new Set((await readResults(redis, prefix, 'cam-burst')).map((e) => e.result.seq));
        const dropped = (await readDroppedFrames(redis, prefix))['cam-burst'] ?? 0;
        return processed.size + dropped === 40 && processed.size > 0 && dropped > 0;
      },
      60_000,
      'every frame of the burst processed or counted as dropped',
    );
    // Every drop (trimmed from Redis, or refused in the sink) is marked skipped: exactly the seqs with no result.
    await sink.close();
    const processed = new Set((await readResults(redis, prefix, 'cam-burst')).map((e) => e.result.seq));
    const skips = await readSkips(redis, prefix, 'cam-burst');
    expect(skips.every((s) => s.reason === 'dropped')).toBe(true);
    expect(skips.map((s) => s.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 40 }, (_, seq) => seq).filter((seq) => !processed.has(seq)),
    );
  });
});
