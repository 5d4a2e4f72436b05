// The HLS quota's eviction choice: stale folders before live cameras' old segments, oldest first, down to
// the low-water mark, and never a live playlist, a listed segment or one still being written.
import { describe, expect, it } from 'vitest';
import { evictionTier, planHlsEviction, type HlsFileInfo, type LiveFolder } from '../../../ingest/hlsEviction.ts';

const MB = 1024 * 1024;

function file(folder: string | null, name: string, mtimeMs: number, sizeBytes = MB): HlsFileInfo {
  return { folder, name, sizeBytes, mtimeMs };
}

const live = new Map<string, LiveFolder>([['cam1', { listed: new Set(['seg_10.ts', 'seg_11.ts', 'seg_12.ts']) }]]);

describe('planHlsEviction', () => {
  it('evicts nothing at or under the limit', () => {
    const plan = planHlsEviction({ files: [file('gone', 'seg_1.ts', 1)], live, limitBytes: MB });
    expect(plan).toMatchObject({ evict: [], totalBytes: MB, remainingBytes: MB, stillOver: false });
  });

  it('takes stale folders and loose files first, oldest first, down to 90% of the limit', () => {
    const files = [
      file('cam1', 'seg_8.ts', 1), // unlisted, the oldest of all, yet after every stale file
      file('gone', 'seg_3.ts', 30),
      file(null, 'core.dump', 20),
      file('gone', 'seg_2.ts', 10),
      file('cam1', 'seg_10.ts', 40),
      file('cam1', 'seg_11.ts', 41),
      file('cam1', 'seg_12.ts', 42),
      file('cam1', 'index.m3u8', 43, 1000),
    ];
    const plan = planHlsEviction({ files, live, limitBytes: 5 * MB });
    expect(plan.evict.map((f) => `${f.folder}/${f.name}`)).toEqual([
      'gone/seg_2.ts',
      'null/core.dump',
      'gone/seg_3.ts',
    ]);
    expect(plan.evict.every((f) => f.tier === 'stale')).toBe(true);
    expect(plan.remainingBytes).toBeLessThanOrEqual(4.5 * MB);
    expect(plan.stillOver).toBe(false);
  });

  it("then takes live cameras' segments past their window, never the playlist or what it lists", () => {
    const files = [
      file('cam1', 'seg_7.ts', 1),
      file('cam1', 'seg_9.ts', 3),
      file('cam1', 'seg_8.ts', 2),
      file('cam1', 'seg_10.ts', 4),
      file('cam1', 'seg_11.ts', 5),
      file('cam1', 'seg_12.ts', 6),
      file('cam1', 'index.m3u8', 7, 1000),
    ];
    const plan = planHlsEviction({ files, live, limitBytes: 3 * MB, lowWaterRatio: 0.5 });
    expect(plan.evict.map((f) => f.name)).toEqual(['seg_7.ts', 'seg_8.ts', 'seg_9.ts']);
    expect(plan.evict.every((f) => f.tier === 'unlisted')).toBe(true);
    // Only the live window is left, which is more than half the limit: reported, not evicted.
    expect(plan.remainingBytes).toBe(3 * MB + 1000);
    expect(plan.stillOver).toBe(true);
  });

  it('keeps everything of a live camera whose playlist is not readable yet', () => {
    const starting = new Map<string, LiveFolder>([['cam2', { listed: null }]]);
    const plan = planHlsEviction({ files: [file('cam2', 'seg_0.ts', 1, 10 * MB)], live: starting, limitBytes: MB });
    expect(plan.evict).toEqual([]);
    expect(plan.stillOver).toBe(true);
  });
});

describe('evictionTier', () => {
  it('protects segments being written and segments newer than the list (renamed, not yet listed)', () => {
    expect(evictionTier(file('cam1', 'seg_13.ts.tmp', 1), live)).toBeNull();
    expect(evictionTier(file('cam1', 'index.m3u8.tmp', 1), live)).toBeNull();
    expect(evictionTier(file('cam1', 'seg_13.ts', 1), live)).toBeNull();
    expect(evictionTier(file('cam1', 'seg_9.ts', 1), live)).toBe('unlisted');
    expect(evictionTier(file('cam1', 'leftover.bin', 1), live)).toBe('unlisted');
  });

  it('treats every file of a folder no supervisor writes to as stale, playlist included', () => {
    expect(evictionTier(file('removed', 'index.m3u8', 1), live)).toBe('stale');
    expect(evictionTier(file(null, 'seg_1.ts', 1), live)).toBe('stale');
  });

  it("keeps a live camera's segments while its playlist lists none yet", () => {
    const empty = new Map<string, LiveFolder>([['cam3', { listed: new Set() }]]);
    expect(evictionTier(file('cam3', 'seg_0.ts', 1), empty)).toBeNull();
    expect(evictionTier(file('cam3', 'junk.bin', 1), empty)).toBe('unlisted');
  });
});
