// Camera ownership across analyzers: exactly one owner per camera, a fair share each, and a crashed
// owner's cameras taken over within the lease TTL and a few seconds.
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/logger.ts';
import { startAnalyzerProcess, type AnalyzerProcess } from '../../../analyzer/process.ts';
import { MINUTE_MS } from '../../../analytics/minuteCounts.ts';
import { trafficResults } from '../../unit/analyzer/syntheticTraffic.ts';
import {
  createTestCamera,
  openAnalyzerTestEnv,
  startChildAnalyzer,
  storedRows,
  waitFor,
  writeResults,
  type AnalyzerTestEnv,
  type ChildAnalyzer,
} from './helpers.ts';
import { redisKeys } from '../../../core/redis.ts';

const logger = createLogger({ level: 'silent' });
let env: AnalyzerTestEnv | null = null;
const analyzers: AnalyzerProcess[] = [];
const children: ChildAnalyzer[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) await child.kill();
  for (const analyzer of analyzers.splice(0)) await analyzer.close();
  await env?.cleanup();
  env = null;
});

async function start(id: string): Promise<AnalyzerProcess> {
  const analyzer = await startAnalyzerProcess(env!.config, logger, { analyzerId: id });
  analyzers.push(analyzer);
  return analyzer;
}

describe('analyzer leases', () => {
  it('a camera is owned by exactly one of two analyzers and moves to the survivor when its owner is killed', async () => {
    env = await openAnalyzerTestEnv();
    const cameraId = await createTestCamera(env.db.pool);
    const owner = await startChildAnalyzer(env.config, 'owner');
    children.push(owner);
    await waitFor(
      async () => (await env!.redis.get(redisKeys.lease(env!.config.redis.prefix, cameraId))) === 'owner',
      10_000,
      'owner holds the camera',
    );
    const survivor = await start('survivor');
    // Several lease periods: the survivor never takes a camera that is held.
    const until = Date.now() + 2 * env.config.analyzer.leaseTtlMs;
    while (Date.now() < until) {
      expect(survivor.ownedCameraIds()).toEqual([]);
      expect(await env.redis.get(redisKeys.lease(env.config.redis.prefix, cameraId))).toBe('owner');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    const killedAtMs = Date.now();
    await owner.kill();
    await waitFor(
      () => survivor.ownedCameraIds().length === 1,
      env.config.analyzer.leaseTtlMs + 5000,
      'survivor takes the camera',
    );
    expect(Date.now() - killedAtMs).toBeLessThan(env.config.analyzer.leaseTtlMs + 5000);
    expect(await env.redis.get(redisKeys.lease(env.config.redis.prefix, cameraId))).toBe('survivor');
  });

  it('shares cameras fairly, never two owners, and hands them all over when one analyzer leaves', async () => {
    env = await openAnalyzerTestEnv();
    const cameraIds = await Promise.all(
      ['A', 'B', 'C', 'D', 'E'].map((n) => createTestCamera(env!.db.pool, `Camera ${n}`)),
    );
    const a = await start('a');
    await waitFor(() => a.ownedCameraIds().length === 5, 10_000, 'a takes every camera');
    const b = await start('b');
    // ceil(5 / 2) = 3 at most each; all five owned, by one analyzer each.
    await waitFor(
      () => a.ownedCameraIds().length + b.ownedCameraIds().length === 5 && b.ownedCameraIds().length >= 2,
      15_000,
      'b takes its share',
    );
    expect(a.ownedCameraIds().length).toBeLessThanOrEqual(3);
    expect(b.ownedCameraIds().length).toBeLessThanOrEqual(3);
    expect(new Set([...a.ownedCameraIds(), ...b.ownedCameraIds()])).toEqual(new Set(cameraIds));
    for (const cameraId of a.ownedCameraIds())
      expect(await env.redis.get(redisKeys.lease(env.config.redis.prefix, cameraId))).toBe('a');
    for (const cameraId of b.ownedCameraIds())
      expect(await env.redis.get(redisKeys.lease(env.config.redis.prefix, cameraId))).toBe('b');

    await a.close();
    await waitFor(() => b.ownedCameraIds().length === 5, 10_000, 'b takes every camera after a leaves');
  });

  it('stops a camera whose lease was lost and writes nothing for it afterwards', async () => {
    env = await openAnalyzerTestEnv();
    const prefix = env.config.redis.prefix;
    const cameraId = await createTestCamera(env.db.pool);
    const startMs = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS - 30 * MINUTE_MS;
    const results = trafficResults({ cameraId, startMs, durationMs: 3 * MINUTE_MS + 5000, fps: 5 });
    const a = await start('a');
    await waitFor(() => a.ownedCameraIds().length === 1, 10_000, 'a owns the camera');
    const firstId = await writeResults(env.redis, prefix, results.slice(0, 300));
    await waitFor(
      async () => (await env!.redis.get(redisKeys.checkpoint(prefix, cameraId)))?.includes(firstId),
      30_000,
      'first part checkpointed',
    );

    // Someone else holds the camera now (as after a network partition longer than the TTL).
    await env.redis.set(redisKeys.lease(prefix, cameraId), 'intruder', 'PX', 60_000);
    await waitFor(
      () => a.ownedCameraIds().length === 0,
      env.config.analyzer.leaseTtlMs + 5000,
      'a gives the camera up',
    );
    const checkpoint = await env.redis.get(redisKeys.checkpoint(prefix, cameraId));
    const rows = await storedRows(env.db.pool, cameraId);
    await writeResults(env.redis, prefix, results.slice(300));
    const until = Date.now() + 2 * env.config.analyzer.leaseTtlMs;
    while (Date.now() < until) {
      expect(a.ownedCameraIds()).toEqual([]);
      expect(await env.redis.get(redisKeys.checkpoint(prefix, cameraId))).toBe(checkpoint);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await storedRows(env.db.pool, cameraId)).toEqual(rows);
  });
});
