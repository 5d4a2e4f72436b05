import { describe, expect, it } from 'vitest';
import {
  reconnectDelayMs,
  RECONNECT_MAX_DELAY_MS,
  redisChannels,
  redisKeys,
  redisOptionsFor,
  redisQueues,
} from '../../../core/redis.ts';

describe('Redis names', () => {
  // Keys written by a running deployment (and by the resilience suite's probes) must keep their spelling.
  it('spells every key as the processes have always written it', () => {
    const p = 'ioc';
    expect(redisKeys.all(p)).toBe('ioc:*');
    expect(redisKeys.waitingFrames(p, 'cam-1')).toBe('ioc:inference:waiting:cam-1');
    expect(redisKeys.droppedFrames(p)).toBe('ioc:inference:dropped');
    expect(redisKeys.analysisPlans(p)).toBe('ioc:inference:regions');
    expect(redisKeys.results(p, 'cam-1')).toBe('ioc:results:cam-1');
    expect(redisKeys.frame(p, 'cam-1', 42)).toBe('ioc:frame:cam-1:42');
    expect(redisKeys.framePrefix(p, 'cam-1')).toBe('ioc:frame:cam-1:');
    expect(redisKeys.lease(p, 'cam-1')).toBe('ioc:analyzer:lease:cam-1');
    expect(redisKeys.analyzers(p)).toBe('ioc:analyzer:members');
    expect(redisKeys.checkpoint(p, 'cam-1')).toBe('ioc:analyzer:checkpoint:cam-1');
    expect(redisKeys.sceneCuts(p)).toBe('ioc:analysis:sceneCuts');
    expect(redisKeys.analysisActivity(p)).toBe('ioc:analysis:activity');
  });

  it('spells every channel and the frames queue as before', () => {
    const p = 'ioc';
    expect(redisQueues.frames).toBe('frames');
    expect(redisChannels.cameraChanges(p)).toBe('ioc:cameras:changed');
    expect(redisChannels.alerts(p)).toBe('ioc:alerts');
    expect(redisChannels.liveTracks(p, 'cam-1')).toBe('ioc:live:cam-1');
    expect(redisChannels.liveTracksPattern(p)).toBe('ioc:live:*');
    expect(redisChannels.analyticsEvents(p, 'cam-1')).toBe('ioc:events:cam-1');
    expect(redisChannels.analyticsEventsPattern(p)).toBe('ioc:events:*');
  });

  it('keeps every name under its deployment prefix, so two deployments on one Redis never meet', () => {
    const names = [
      ...Object.values(redisKeys).map((name) => name('a-prefix', 'cam', 1)),
      ...Object.values(redisChannels).map((name) => name('a-prefix', 'cam')),
    ];
    for (const name of names) expect(name.startsWith('a-prefix:')).toBe(true);
  });
});

describe('Redis connections', () => {
  it('lets a queue or subscriber command wait through a reconnect, and fails a request after one', () => {
    expect(redisOptionsFor('queue').maxRetriesPerRequest).toBeNull();
    expect(redisOptionsFor('subscriber').maxRetriesPerRequest).toBeNull();
    expect(redisOptionsFor('request').maxRetriesPerRequest).toBe(1);
  });

  it('connects at once unless asked to wait for the first command, and names the connection when told', () => {
    expect(redisOptionsFor('queue').lazyConnect).toBe(false);
    expect(redisOptionsFor('request', { lazyConnect: true }).lazyConnect).toBe(true);
    expect(redisOptionsFor('queue', { connectionName: 'ioc-frame-sink' }).connectionName).toBe('ioc-frame-sink');
    expect('connectionName' in redisOptionsFor('subscriber')).toBe(false);
  });

  it('reconnects forever with a backoff doubling from 50 ms and capped at 5 s, plus jitter under 200 ms', () => {
    const noJitter = () => 0;
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => reconnectDelayMs(attempt, noJitter))).toEqual([
      50, 100, 200, 400, 800, 1600, 3200, 5000,
    ]);
    expect(reconnectDelayMs(10_000, noJitter)).toBe(RECONNECT_MAX_DELAY_MS);
    expect(reconnectDelayMs(1, () => 0.999)).toBe(50 + 199);
    // A number, never null: ioredis stops reconnecting for good when the strategy returns a non-number.
    const strategy = redisOptionsFor('request').retryStrategy!;
    for (const attempt of [1, 50, 1_000_000]) expect(typeof strategy(attempt)).toBe('number');
  });
});
