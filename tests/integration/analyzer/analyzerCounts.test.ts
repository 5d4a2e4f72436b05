// The analyzer against real Redis and PostgreSQL: results written into a camera's stream as workers would,
// minute rows read back from the store. Capture times are synthetic (three minutes of 5 fps traffic).
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/logger.ts';
import { MINUTE_MS } from '../../../analytics/minuteCounts.ts';
import { startAnalyzerProcess, type AnalyzerProcess } from '../../../analyzer/process.ts';
import { expectedCrossings, trafficResults, trafficVehicles } from '../../unit/analyzer/syntheticTraffic.ts';
import {
  asDelivered,
  checkpointOf,
  createTestCamera,
  openAnalyzerTestEnv,
  referenceRows,
  startChildAnalyzer,
  storedRows,
  waitFor,
  writeResults,
  type AnalyzerTestEnv,
  type ChildAnalyzer,
} from './helpers.ts';
import { redisKeys } from '../../../core/redis.ts';

const logger = createLogger({ level: 'silent' });
/** Three closed minutes and a few seconds of the fourth (so the third minute's watermark passes). */
const START_MS = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS - 30 * MINUTE_MS;
const DURATION_MS = 3 * MINUTE_MS + 5000;

function scene(cameraId: string) {
  const options = { cameraId, startMs: START_MS, durationMs: DURATION_MS, fps: 5 };
  const vehicles = trafficVehicles(options);
  return { vehicles, delivered: asDelivered(trafficResults(options, vehicles)) };
}

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

/** Waits until the camera's checkpoint has reached the stream's last id (everything processed and written). */
async function untilCaughtUp(cameraId: string, lastId: string, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    async () => (await checkpointOf(env!.redis, env!.config.redis.prefix, cameraId))?.streamId === lastId,
    timeoutMs,
    `checkpoint at ${lastId}`,
  );
}

describe('analyzer', () => {
  it('stores the minute counts of a stream, identical over two runs, and writes the inference crops', async () => {
    // Crops around the lines and zones: the setting whose plan this test reads back (the default is the whole frame).
    env = await openAnalyzerTestEnv({ inferenceRegions: 'lines-and-zones' });
    const cameraId = await createTestCamera(env.db.pool);
    const { vehicles, delivered } = scene(cameraId);
    // Poison entries (not JSON, no result field, a result without a seq) are skipped, never fatal.
    const stream = redisKeys.results(env.config.redis.prefix, cameraId);
    await env.redis.xadd(stream, '*', 'result', '{not json');
    await env.redis.xadd(stream, '*', 'other', 'x');
    await env.redis.xadd(stream, '*', 'result', JSON.stringify({ ...delivered[0], seq: null }));
    const lastId = await writeResults(env.redis, env.config.redis.prefix, delivered);

    const first = await start('analyzer-a');
    await untilCaughtUp(cameraId, lastId);
    const stats = first.cameraStats()[cameraId]!;
    expect(stats.invalidResults).toBe(3);
    // asDelivered publishes every 37th result twice; nothing is missing.
    expect(stats.duplicatesDropped).toBe(delivered.length - new Set(delivered.map((r) => r.seq)).size);
    expect(stats.seqsSkipped).toBe(0);
    const run1 = await storedRows(env.db.pool, cameraId);
    await first.close();

    expect(run1).toEqual(referenceRows(cameraId, delivered, env.config));
    // Three closed minutes: one zone row per class per minute; every crossing of a closed minute counted.
    expect(run1.zones).toHaveLength(3 * 6);
    const counted = run1.counts.reduce((sum, line) => sum + (JSON.parse(line) as number[])[4]!, 0);
    const expected = [...expectedCrossings(vehicles, START_MS + 3 * MINUTE_MS).values()].reduce((a, b) => a + b, 0);
    expect(counted).toBe(expected);

    const plan = JSON.parse((await env.redis.hget(redisKeys.analysisPlans(env.config.redis.prefix), cameraId))!);
    expect(plan.wholeFrame).toBe(true);
    // The stop line (y = 270 on the 960×540 analysed frame) with its 48 px margin; the zone's crop overlaps it and merges.
    expect(plan.crops).toEqual([{ x: 0, y: 102, widthPx: 960, heightPx: 346 }]);

    // Second run from scratch over the same stream.
    await env.db.pool.query('DELETE FROM traffic_counts; DELETE FROM zone_stats');
    await env.redis.del(redisKeys.checkpoint(env.config.redis.prefix, cameraId));
    const second = await start('analyzer-b');
    await untilCaughtUp(cameraId, lastId);
    expect(await storedRows(env.db.pool, cameraId)).toEqual(run1);
    await second.close();
  });

  it('a successor taking over a SIGKILLed analyzer stores counts equal to an uninterrupted run', async () => {
    // The victim checkpoints only when minutes close, so the successor replays part of the stream.
    env = await openAnalyzerTestEnv({ checkpointIntervalMs: 600_000 });
    const cameraId = await createTestCamera(env.db.pool);
    const { delivered } = scene(cameraId);
    const cut = delivered.findIndex((r) => r.capturedAtMs >= START_MS + 100_000);
    await writeResults(env.redis, env.config.redis.prefix, delivered.slice(0, cut));

    const victim = await startChildAnalyzer(env.config, 'victim');
    children.push(victim);
    // Mid-stream: minute 0 written (so a checkpoint exists), minute 1 still open.
    await waitFor(
      async () => (await storedRows(env!.db.pool, cameraId)).counts.length > 0,
      60_000,
      'minute 0 written by the victim',
    );
    const lastId = await writeResults(env.redis, env.config.redis.prefix, delivered.slice(cut));
    await victim.kill();
    const atKill = await checkpointOf(env.redis, env.config.redis.prefix, cameraId);
    expect(atKill!.streamId).not.toBe(lastId);

    const successor = await start('successor');
    await untilCaughtUp(cameraId, lastId);
    expect(successor.ownedCameraIds()).toEqual([cameraId]);
    expect(await storedRows(env.db.pool, cameraId)).toEqual(referenceRows(cameraId, delivered, env.config));
  });

  it('keeps rows while PostgreSQL refuses them and writes them all once it is back', async () => {
    env = await openAnalyzerTestEnv();
    const cameraId = await createTestCamera(env.db.pool);
    const { delivered } = scene(cameraId);
    const analyzer = await start('analyzer-pg');
    await waitFor(() => analyzer.ownedCameraIds().length === 1, 10_000, 'camera owned');

    // Tables gone (as far as the analyzer can tell) while three minutes of results arrive.
    await env.db.pool.query(
      'ALTER TABLE traffic_counts RENAME TO traffic_counts_away; ALTER TABLE zone_stats RENAME TO zone_stats_away',
    );
    const lastId = await writeResults(env.redis, env.config.redis.prefix, delivered);
    await waitFor(
      () =>
        (analyzer.cameraStats()[cameraId]?.writeFailures ?? 0) > 1 &&
        analyzer.cameraStats()[cameraId]?.lastStreamId === lastId,
      60_000,
      'refused writes',
    );
    // The checkpoint is held back: a crash now would replay these results.
    expect((await checkpointOf(env.redis, env.config.redis.prefix, cameraId))?.streamId ?? '0').not.toBe(lastId);

    await env.db.pool.query(
      'ALTER TABLE traffic_counts_away RENAME TO traffic_counts; ALTER TABLE zone_stats_away RENAME TO zone_stats',
    );
    await untilCaughtUp(cameraId, lastId);
    expect(await storedRows(env.db.pool, cameraId)).toEqual(referenceRows(cameraId, delivered, env.config));
  });

  it('says so when results after its checkpoint were trimmed from the stream before it resumed', async () => {
    env = await openAnalyzerTestEnv();
    const prefix = env.config.redis.prefix;
    const cameraId = await createTestCamera(env.db.pool);
    const { delivered } = scene(cameraId);
    const firstId = await writeResults(env.redis, prefix, delivered.slice(0, 100));
    const first = await start('before-outage');
    await untilCaughtUp(cameraId, firstId);
    await first.close();

    // While no analyzer runs, more results arrive than the stream keeps.
    const lastId = await writeResults(env.redis, prefix, delivered.slice(100));
    await env.redis.xtrim(redisKeys.results(prefix, cameraId), 'MAXLEN', 50);
    const second = await start('after-outage');
    await untilCaughtUp(cameraId, lastId);
    expect(second.cameraStats()[cameraId]!.resumedAfterTrim).toBe(1);
  });

  it('writes the open minute of a camera whose stream went quiet', async () => {
    env = await openAnalyzerTestEnv({ idleFlushMs: 1000 });
    const cameraId = await createTestCamera(env.db.pool);
    const { delivered } = scene(cameraId);
    const analyzer = await start('idle');
    await writeResults(env.redis, env.config.redis.prefix, delivered);
    await waitFor(() => (analyzer.cameraStats()[cameraId]?.idleFlushes ?? 0) > 0, 60_000, 'idle flush');
    const minute3 = new Date(START_MS + 3 * MINUTE_MS).toISOString();
    await waitFor(
      async () => (await storedRows(env!.db.pool, cameraId)).zones.some((l) => l.includes(minute3)),
      10_000,
      'the open minute written',
    );
    expect(await storedRows(env.db.pool, cameraId)).toEqual(
      referenceRows(cameraId, delivered, env.config, undefined, true),
    );
  });

  it("writes a quiet camera's open minute when its own clock says the idle time has passed, not before", async () => {
    env = await openAnalyzerTestEnv({ idleFlushMs: 600_000 });
    const cameraId = await createTestCamera(env.db.pool);
    const { delivered } = scene(cameraId);
    let clockAheadMs = 0;
    const analyzer = await startAnalyzerProcess(env.config, logger, {
      analyzerId: 'idle-clock',
      now: () => Date.now() + clockAheadMs,
    });
    analyzers.push(analyzer);
    const lastId = await writeResults(env.redis, env.config.redis.prefix, delivered);
    await untilCaughtUp(cameraId, lastId);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(analyzer.cameraStats()[cameraId]!.idleFlushes).toBe(0);
    clockAheadMs = 600_000; // ten minutes of quiet, on the runner's clock only
    await waitFor(() => (analyzer.cameraStats()[cameraId]?.idleFlushes ?? 0) > 0, 10_000, 'idle flush');
    await waitFor(() => analyzer.cameraStats()[cameraId]!.idleCommits === 1, 10_000, 'the idle commit');
    expect(await storedRows(env.db.pool, cameraId)).toEqual(
      referenceRows(cameraId, delivered, env.config, undefined, true),
    );
  });

  it('says a quiet camera’s last minute is stored only once PostgreSQL has taken it, even when it refused it at first', async () => {
    env = await openAnalyzerTestEnv({ idleFlushMs: 1000 });
    const cameraId = await createTestCamera(env.db.pool);
    const { delivered } = scene(cameraId);
    const analyzer = await start('idle-pg');
    await waitFor(() => analyzer.ownedCameraIds().length === 1, 10_000, 'camera owned');
    await env.db.pool.query('ALTER TABLE zone_stats RENAME TO zone_stats_away');
    await writeResults(env.redis, env.config.redis.prefix, delivered);
    await waitFor(() => (analyzer.cameraStats()[cameraId]?.idleFlushes ?? 0) > 0, 60_000, 'idle flush');
    await waitFor(() => (analyzer.cameraStats()[cameraId]?.writeFailures ?? 0) > 1, 10_000, 'refused writes');
    expect(analyzer.cameraStats()[cameraId]!.idleCommits).toBe(0);

    await env.db.pool.query('ALTER TABLE zone_stats_away RENAME TO zone_stats');
    await waitFor(
      () => analyzer.cameraStats()[cameraId]!.idleCommits === 1,
      20_000,
      'the idle commit once PostgreSQL is back',
    );
    expect(await storedRows(env.db.pool, cameraId)).toEqual(
      referenceRows(cameraId, delivered, env.config, undefined, true),
    );
  });

  it('starts afresh, leaving written minutes alone, when its checkpoint state cannot be restored', async () => {
    env = await openAnalyzerTestEnv();
    const prefix = env.config.redis.prefix;
    const cameraId = await createTestCamera(env.db.pool);
    const { delivered } = scene(cameraId);
    const lastId = await writeResults(env.redis, prefix, delivered);
    const first = await start('writer');
    await untilCaughtUp(cameraId, lastId);
    await first.close();
    const written = await storedRows(env.db.pool, cameraId);

    // Same configuration hash, but a state written by code that no longer exists.
    const checkpoint = JSON.parse((await env.redis.get(redisKeys.checkpoint(prefix, cameraId)))!);
    await env.redis.set(
      redisKeys.checkpoint(prefix, cameraId),
      JSON.stringify({ ...checkpoint, state: { $c: 'RemovedClass', p: {} } }),
    );
    const second = await start('reader');
    await waitFor(
      async () =>
        JSON.parse((await env!.redis.get(redisKeys.checkpoint(prefix, cameraId)))!).state?.$c !== 'RemovedClass',
      30_000,
      'a fresh checkpoint',
    );
    await untilCaughtUp(cameraId, lastId);
    expect(second.ownedCameraIds()).toEqual([cameraId]);
    expect(await storedRows(env.db.pool, cameraId)).toEqual(written);
  });
});
