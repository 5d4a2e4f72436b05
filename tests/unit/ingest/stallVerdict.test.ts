import { describe, expect, it } from 'vitest';
import { judgeRunProgress } from '../../../ingest/stallVerdict.ts';

const stallTimeoutMs = 8000;

describe('judgeRunProgress', () => {
  it('is progressing while frames and segments come', () => {
    expect(
      judgeRunProgress({
        nowMs: 60_000,
        startedAtMs: 0,
        lastFrameAtMs: 59_800,
        lastSegmentAtMs: 58_000,
        stallTimeoutMs,
      }),
    ).toBe('progressing');
  });

  it('gives a starting run stallTimeoutMs to show anything', () => {
    expect(
      judgeRunProgress({ nowMs: 7_000, startedAtMs: 0, lastFrameAtMs: null, lastSegmentAtMs: null, stallTimeoutMs }),
    ).toBe('progressing');
    expect(
      judgeRunProgress({ nowMs: 8_001, startedAtMs: 0, lastFrameAtMs: null, lastSegmentAtMs: null, stallTimeoutMs }),
    ).toBe('stalled');
  });

  it('calls a hung source a stall, not an HLS failure, though frames outlived the last segment a little', () => {
    // Last segment at 50 s, frames until 52 s (the next segment never closed), nothing since.
    const hung = { startedAtMs: 0, lastFrameAtMs: 52_000, lastSegmentAtMs: 50_000, stallTimeoutMs };
    expect(judgeRunProgress({ ...hung, nowMs: 59_000 })).toBe('progressing');
    expect(judgeRunProgress({ ...hung, nowMs: 60_001 })).toBe('stalled');
  });

  it('calls it an HLS stall when frames kept coming for a whole stall period after the last segment', () => {
    expect(
      judgeRunProgress({
        nowMs: 58_100,
        startedAtMs: 0,
        lastFrameAtMs: 58_000,
        lastSegmentAtMs: 50_000,
        stallTimeoutMs,
      }),
    ).toBe('hls-stalled');
    // The copy never produced a first segment, while decoding ran from the start.
    expect(
      judgeRunProgress({ nowMs: 8_500, startedAtMs: 0, lastFrameAtMs: 8_400, lastSegmentAtMs: null, stallTimeoutMs }),
    ).toBe('hls-stalled');
  });

  it('gives a camera with far-apart key frames its longer HLS stall time, but not a hung source', () => {
    // Segments every ~7 s (one per GOP): 9 s after the last one is not yet an HLS stall.
    const longGop = { startedAtMs: 0, lastSegmentAtMs: 50_000, stallTimeoutMs, hlsStallTimeoutMs: 14_400 };
    expect(judgeRunProgress({ ...longGop, nowMs: 59_100, lastFrameAtMs: 59_000 })).toBe('progressing');
    expect(judgeRunProgress({ ...longGop, nowMs: 64_500, lastFrameAtMs: 64_450 })).toBe('hls-stalled');
    // Nothing at all comes: still a stall after stallTimeoutMs.
    expect(judgeRunProgress({ ...longGop, nowMs: 58_001, lastFrameAtMs: 50_000 })).toBe('stalled');
  });
});
