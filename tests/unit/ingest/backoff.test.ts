import { describe, expect, it } from 'vitest';
import { Backoff } from '../../../ingest/backoff.ts';

describe('Backoff', () => {
  it('doubles from the initial delay up to the cap', () => {
    const backoff = new Backoff({ initialMs: 1000, maxMs: 8000, jitterRatio: 0 });
    expect([1, 2, 3, 4, 5, 6].map(() => backoff.nextDelayMs())).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('jitters downwards only, so the cap holds', () => {
    const backoff = new Backoff({ initialMs: 1000, maxMs: 4000, jitterRatio: 0.5, random: () => 0.5 });
    const delays = [1, 2, 3, 4].map(() => backoff.nextDelayMs());
    expect(delays.every((d) => d <= 4000)).toBe(true);
    expect(delays).toEqual([750, 1500, 3000, 3000]);
    const noJitter = new Backoff({ initialMs: 1000, maxMs: 4000, jitterRatio: 0.5, random: () => 0 });
    expect(noJitter.nextDelayMs()).toBe(1000);
  });

  it('starts over after a reset', () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 10_000, jitterRatio: 0 });
    backoff.nextDelayMs();
    backoff.nextDelayMs();
    expect(backoff.attempts).toBe(2);
    backoff.reset();
    expect(backoff.nextDelayMs()).toBe(100);
  });

  it('never overflows after many failures', () => {
    const backoff = new Backoff({ initialMs: 1000, maxMs: 30_000, jitterRatio: 0 });
    for (let i = 0; i < 2000; i++) backoff.nextDelayMs();
    expect(backoff.nextDelayMs()).toBe(30_000);
  });
});
