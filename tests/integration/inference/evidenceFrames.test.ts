// What the worker leaves for alerts: image statistics on every result, and the analysed JPEG kept in Redis
// for alerts.frameRetentionMs under redisKeys.frame (nothing kept when it is 0).
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { BullmqFrameSink } from '../../../inference/frameSink.ts';
import { readResults } from '../../../inference/results.ts';
import { startInferenceWorker } from '../../../inference/worker.ts';
import { capturingLogger, deletePrefixKeys, readAsset, testConfig, waitFor } from './helpers.ts';
import { createRedis, redisKeys } from '../../../core/redis.ts';

const redis = createRedis(testConfig().redis.url, 'request');
const prefixes: string[] = [];
afterAll(async () => {
  for (const prefix of prefixes) await deletePrefixKeys(redis, prefix);
  await redis.quit();
});

async function analyse(frameRetentionMs: number, seq: number) {
  const config = testConfig({ alerts: { frameRetentionMs } });
  prefixes.push(config.redis.prefix);
  const dog = await readAsset(config, 'images/dog.jpg');
  const worker = await startInferenceWorker(config, capturingLogger().logger);
  const sink = new BullmqFrameSink(config);
  try {
    await sink.push({
      cameraId: 'cam-evidence',
      seq,
      capturedAtMs: Date.now(),
      jpeg: dog,
      widthPx: 768,
      heightPx: 576,
    });
    const [entry] = await waitFor(
      async () => {
        const entries = await readResults(redis, config.redis.prefix, 'cam-evidence');
        return entries.length > 0 ? entries : undefined;
      },
      30_000,
      'the result',
    );
    const key = redisKeys.frame(config.redis.prefix, 'cam-evidence', seq);
    return { dog, result: entry!.result, kept: await redis.getBuffer(key), ttlMs: await redis.pttl(key) };
  } finally {
    await sink.close();
    await worker.close();
  }
}

describe('evidence the worker leaves for alerts', () => {
  it('publishes image statistics with the result and keeps the frame for frameRetentionMs', async () => {
    const { dog, result, kept, ttlMs } = await analyse(30_000, 7);
    expect(result.image!.meanLuma).toBeGreaterThan(40);
    expect(result.image!.stdLuma).toBeGreaterThan(20);
    expect(Buffer.from(result.image!.thumb, 'base64')).toHaveLength(256);
    expect(kept?.equals(dog)).toBe(true);
    expect(ttlMs).toBeGreaterThan(20_000);
    expect(ttlMs).toBeLessThanOrEqual(30_000);
  });

  it('keeps no frame when frameRetentionMs is 0', async () => {
    const { result, kept } = await analyse(0, 8);
    expect(result.seq).toBe(8);
    expect(kept).toBeNull();
  });
});
