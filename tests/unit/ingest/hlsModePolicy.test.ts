import { describe, expect, it } from 'vitest';
import { HlsModePolicy, type RunOutcome } from '../../../ingest/hlsModePolicy.ts';

const muxerDeath: RunOutcome = {
  end: 'exited',
  endedAtMs: 10_900,
  copyFailureAtMs: 10_850,
  copyFailureText: '[mpegts @ 0x1] Error applying bitstream filters to an output packet for stream #0',
  segmentsInRun: 0,
};
const healthyRun: RunOutcome = {
  end: 'exited',
  endedAtMs: 60_000,
  copyFailureAtMs: null,
  copyFailureText: null,
  segmentsInRun: 20,
};

describe('HlsModePolicy', () => {
  it('re-encodes after the configured number of consecutive copy failures, and says why', () => {
    const policy = new HlsModePolicy(2);
    expect(policy.onRunEnded(muxerDeath)).toBe(false);
    expect(policy.mode).toBe('copy');
    expect(policy.onRunEnded(muxerDeath)).toBe(true);
    expect(policy.mode).toBe('transcode');
    expect(policy.reason).toMatch(
      /HLS stream copy failed 2 times while decoding worked \(\[mpegts .*\): HLS is re-encoded/,
    );
    expect(policy.onRunEnded(muxerDeath)).toBe(false); // already re-encoding: nothing more to switch
  });

  it('counts an HLS stall seen by the watchdog as a copy failure', () => {
    const policy = new HlsModePolicy(2);
    const hlsStall: RunOutcome = { ...healthyRun, end: 'hls-stalled', segmentsInRun: 0 };
    policy.onRunEnded(hlsStall);
    expect(policy.onRunEnded(hlsStall)).toBe(true);
  });

  it('forgets an isolated failure once a run segments fine', () => {
    const policy = new HlsModePolicy(2);
    policy.onRunEnded(muxerDeath);
    policy.onRunEnded(healthyRun);
    expect(policy.onRunEnded(muxerDeath)).toBe(false);
    expect(policy.mode).toBe('copy');
  });

  it('never blames the copy for a hung or vanished source', () => {
    const policy = new HlsModePolicy(1);
    expect(policy.onRunEnded({ ...healthyRun, end: 'stalled', segmentsInRun: 0 })).toBe(false);
    // An old muxer warning long before a source outage is not what ended the run.
    expect(policy.onRunEnded({ ...muxerDeath, copyFailureAtMs: 1_000, endedAtMs: 50_000 })).toBe(false);
    expect(policy.onRunEnded({ ...muxerDeath, end: 'stopped' })).toBe(false);
    expect(policy.mode).toBe('copy');
  });

  it('re-encodes at once a source that is not H.264', () => {
    const policy = new HlsModePolicy(2);
    expect(policy.onMainCodec('h264')).toBe(false);
    expect(policy.onMainCodec('hevc')).toBe(true);
    expect(policy.reason).toBe('source codec hevc is not H.264: HLS is re-encoded');
  });
});
