// The HLS root under its quota while a real camera is live: old junk past the quota is evicted (stale folders,
// then the live camera's unlisted files), the live playlist never loses a listed segment and keeps advancing.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
  openSync,
  writeSync,
  closeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../core/config.ts';
import { readHlsPlaylist } from '../../../ingest/hlsPlaylist.ts';
import { IngestManager } from '../../../ingest/ingestManager.ts';
import { newestSegmentKey, waitForRecovery } from '../../support/cameraRecovery.ts';
import { assetPath, HealthLog, RecordingSink, tempHlsRoot, testCamera, waitFor } from '../../support/ingestHarness.ts';
import { captureLogger } from '../../support/logCapture.ts';
import { childProcessPids } from '../../support/media.ts';
import { recordScenario } from '../../support/resilienceReport.ts';
import { startRtspServer, type RtspServer } from '../../../harness/rtspServer.ts';

const SUITE = 'camera sources';
const MB = 1024 * 1024;
const QUOTA_MB = 24;

function configFor(hlsQuotaMb: number) {
  return loadConfig({
    env: { IOC_ASSETS: process.env.IOC_ASSETS },
    overrides: {
      media: { hlsSegmentSeconds: 1, hlsQuotaMb, hlsQuotaSweepMs: 300 },
      ingest: {
        backoffInitialMs: 500,
        backoffMaxMs: 1000,
        sourceTimeoutMs: 5000,
        stallTimeoutMs: 4000,
        stopGraceMs: 2000,
        healthIntervalMs: 1000,
      },
    },
  });
}

function bytesUnder(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    try {
      total += entry.isDirectory() ? bytesUnder(path) : statSync(path).size;
    } catch {
      // removed while summed
    }
  }
  return total;
}

/** `count` files of `sizeMb` each, dated `ageMs` ago and older, one second apart (the first is the oldest). */
function writeJunk(dir: string, prefix: string, count: number, sizeMb: number, ageMs: number): string[] {
  mkdirSync(dir, { recursive: true });
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `${prefix}_${i}.ts`;
    writeFileSync(join(dir, name), Buffer.alloc(sizeMb * MB, 0x47));
    const at = new Date(Date.now() - ageMs - (count - i) * 1000);
    utimesSync(join(dir, name), at, at);
    names.push(name);
  }
  return names;
}

/** Throws if a segment the live playlist lists is not on disk (what the wall would fail to fetch). */
async function assertListedPresent(hlsDir: string): Promise<number> {
  const playlist = await readHlsPlaylist(hlsDir);
  const missing = (playlist?.segments ?? []).filter((s) => !existsSync(join(hlsDir, s.name)));
  if (missing.length > 0) throw new Error(`listed but gone: ${missing.map((s) => s.name).join(', ')}`);
  return playlist?.segments.length ?? 0;
}

describe('HLS disk quota', () => {
  let server: RtspServer;

  beforeAll(async () => {
    server = await startRtspServer({ mounts: { cam: assetPath(configFor(QUOTA_MB), 'video/vn_traffic.mp4') } });
  });

  afterAll(async () => {
    await server?.stop();
    expect(childProcessPids('ffmpeg')).toEqual([]);
  });

  it(`evicts old junk to under ${QUOTA_MB} MiB while the camera stays live and its playlist advances`, async () => {
    const config = configFor(QUOTA_MB);
    const hlsRoot = tempHlsRoot();
    const captured = captureLogger('debug');
    const healthLog = new HealthLog();
    const sink = new RecordingSink();
    const manager = new IngestManager({
      config,
      hlsRoot: hlsRoot.path,
      logger: captured.logger,
      onHealth: healthLog.onHealth,
      frameSinkFor: () => sink,
    });
    try {
      await manager.reconcile([testCamera('live1', { mainUrl: server.url('cam'), sampleFps: 2 })]);
      await healthLog.waitForState('live1', 'live', 15_000);
      const liveDir = manager.hlsDirOf('live1');
      await waitFor(
        async () => ((await readHlsPlaylist(liveDir))?.segments.length ?? 0) >= 3,
        15_000,
        'three listed segments',
      );
      const liveIndex = healthLog.history.length;
      const framesBefore = sink.frames.length;

      // A removed camera's folder and loose files (oldest), then leftovers inside the live folder.
      const staleNames = writeJunk(join(hlsRoot.path, 'removed-cam'), 'seg', 20, 1, 3_600_000);
      writeJunk(hlsRoot.path, 'loose', 4, 1, 1_800_000);
      const liveJunk = writeJunk(liveDir, 'old', 10, 1, 600_000);
      const filledAtMs = Date.now();
      const filledBytes = bytesUnder(hlsRoot.path);
      expect(filledBytes).toBeGreaterThan(QUOTA_MB * MB);

      let listedChecks = 0;
      await waitFor(
        async () => {
          await assertListedPresent(liveDir);
          listedChecks++;
          return bytesUnder(hlsRoot.path) <= QUOTA_MB * MB;
        },
        10_000,
        `the HLS root under ${QUOTA_MB} MiB`,
      );
      const stage1Ms = Date.now() - filledAtMs;
      // Stale first, oldest first: the removed camera's oldest files went, the live folder lost nothing.
      // (The sweeper may run while the junk is still being written, so how much stale junk went varies.)
      expect(existsSync(join(hlsRoot.path, 'removed-cam', staleNames[0]!))).toBe(false);
      const liveLeftAfterStage1 = new Set(readdirSync(liveDir));
      expect(liveJunk.every((n) => liveLeftAfterStage1.has(n))).toBe(true);

      // More leftovers in the live folder, past the quota even with every stale file gone: the rest of the
      // stale files go, then the live folder's unlisted files, oldest first, never the listed ones.
      const moreLiveJunk = writeJunk(liveDir, 'older', 24, 1, 7_200_000);
      const secondFillAtMs = Date.now();
      await waitFor(
        async () => {
          await assertListedPresent(liveDir);
          listedChecks++;
          return bytesUnder(hlsRoot.path) <= QUOTA_MB * MB;
        },
        10_000,
        `the HLS root under ${QUOTA_MB} MiB again`,
      );
      const stage2Ms = Date.now() - secondFillAtMs;
      const left = new Set(readdirSync(liveDir));
      expect(moreLiveJunk.filter((n) => left.has(n)).length).toBeLessThan(moreLiveJunk.length);
      expect(moreLiveJunk.slice(0, 5).some((n) => left.has(n))).toBe(false); // the oldest went
      expect(existsSync(join(hlsRoot.path, 'removed-cam'))).toBe(false); // emptied, then its folder removed
      expect(readdirSync(hlsRoot.path).filter((n) => n.startsWith('loose_'))).toEqual([]);

      // The live camera never noticed: still live, no restart, and its playlist moved on.
      const before = await newestSegmentKey(manager, 'live1');
      await waitFor(async () => (await newestSegmentKey(manager, 'live1')) !== before, 5_000, 'the playlist advancing');
      await assertListedPresent(liveDir);
      const states = new Set(
        healthLog.history
          .slice(liveIndex)
          .filter((h) => h.cameraId === 'live1')
          .map((h) => h.state),
      );
      const stats = manager.hlsQuotaStats();
      expect([...states]).toEqual(['live']);
      expect(captured.text()).toContain('HLS root over its limit');
      // The frames for detection never depended on the HLS disk: every seq through the fault, none missing.
      const seqs = sink.frames.slice(framesBefore).map((f) => f.seq);
      expect(seqs.length).toBeGreaterThan(2);
      expect(seqs.filter((seq, i) => i > 0 && seq !== seqs[i - 1]! + 1)).toEqual([]);
      recordScenario({
        suite: SUITE,
        name: `HLS folder filled past its ${QUOTA_MB} MiB quota while a camera is live`,
        passed: true,
        recoveryMs: Math.max(stage1Ms, stage2Ms),
        figures: {
          filledMiB: Math.round(filledBytes / MB),
          underQuotaAfterStaleMs: stage1Ms,
          underQuotaAfterLiveJunkMs: stage2Ms,
          evictedFiles: stats.evictedFilesTotal,
          evictedMiB: Math.round(stats.evictedBytesTotal / MB),
          listedSegmentChecks: listedChecks,
          liveJunkLeft: liveJunk.filter((n) => left.has(n)).length + moreLiveJunk.filter((n) => left.has(n)).length,
        },
        notes:
          "recovery = over quota → under it; stale folder and loose files went first, then the live folder's oldest unlisted files; every listed segment stayed, camera stayed live, its sampled frames kept every seq",
      });
    } finally {
      await manager.close();
      hlsRoot.remove();
    }
  });

  it('keeps a small disk from filling, names empty segments when other data fills it, and recovers when it is freed', async () => {
    const mountPoint = mkdtempSync(join(tmpdir(), 'ioc-hls-disk-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mountPoint]);
    } catch (err) {
      rmSync(mountPoint, { recursive: true, force: true });
      recordScenario({
        suite: SUITE,
        name: 'HLS disk full (24 MiB tmpfs)',
        passed: true,
        recoveryMs: null,
        figures: {},
        notes: `skipped: cannot mount a tmpfs here (${(err as Error).message.split('\n')[0]})`,
      });
      return;
    }
    const hlsRoot = join(mountPoint, 'hls');
    mkdirSync(hlsRoot);
    const captured = captureLogger('debug');
    const healthLog = new HealthLog();
    // The quota is far larger than the disk: only the free-space reserve can save it.
    const manager = new IngestManager({
      config: configFor(4096),
      hlsRoot,
      logger: captured.logger,
      onHealth: healthLog.onHealth,
      frameSinkFor: () => new RecordingSink(),
    });
    try {
      await manager.reconcile([testCamera('small', { mainUrl: server.url('cam'), sampleFps: 2 })]);
      await healthLog.waitForState('small', 'live', 15_000);
      const liveDir = manager.hlsDirOf('small');

      // Junk of a removed camera on the same disk: the sweeper frees it before ffmpeg runs out of space.
      const fillAtMs = Date.now();
      const staleBytes = fillDisk(join(hlsRoot, 'removed-cam', 'junk.bin'));
      await waitFor(() => !existsSync(join(hlsRoot, 'removed-cam')), 10_000, "the removed camera's junk evicted");
      const staleFreedMs = Date.now() - fillAtMs;

      // Other data on the disk, out of the sweeper's reach: ffmpeg's segments come out empty and health says
      // so, or (on a loaded machine, when its output stalls first) ingest restarts it with a stall message.
      // Either way the camera must come back by itself once space is freed.
      const otherBytes = fillDisk(join(mountPoint, 'other-data.bin'));
      const empty = await healthLog.waitFor(
        'small',
        (h) => /is the HLS disk full\?|no HLS segment for|no frame and no HLS segment/.test(h.message ?? ''),
        30_000,
      );
      const baselineSegment = await newestSegmentKey(manager, 'small');
      const fromIndex = healthLog.history.length;
      rmSync(join(mountPoint, 'other-data.bin'));
      const clearedAtMs = Date.now();
      const recoveryMs = await waitForRecovery({
        manager,
        healthLog,
        cameraId: 'small',
        fromIndex: 0,
        baselineSegment,
        clearedAtMs,
        timeoutMs: 20_000,
      });
      const cleared = await healthLog.waitFor(
        'small',
        (h) => h.state === 'live' && !/is empty/.test(h.message ?? ''),
        15_000,
        fromIndex,
      );
      const clearedMs = Date.now() - clearedAtMs;
      const newest = (await readHlsPlaylist(liveDir))!.segments.at(-1)!;
      expect(statSync(join(liveDir, newest.name)).size).toBeGreaterThan(0);
      expect(cleared.hlsMode).toBe('copy'); // a full disk is not a copy failure
      recordScenario({
        suite: SUITE,
        name: "HLS disk full (24 MiB tmpfs): stale junk, then data out of the sweeper's reach",
        passed: recoveryMs <= 10_000,
        recoveryMs: clearedMs,
        figures: {
          staleJunkMiB: Math.round(staleBytes / MB),
          staleFreedMs,
          otherDataMiB: Math.round(otherBytes / MB),
          firstNewSegmentMs: recoveryMs,
        },
        notes: `junk of a removed camera evicted by the free-space reserve; other data: health said "${empty.message}", state stayed ${empty.state}; recovery = other data removed → a non-empty segment and the message cleared`,
      });
    } finally {
      await manager.close();
      try {
        execFileSync('umount', [mountPoint]);
      } catch {
        execFileSync('umount', ['-l', mountPoint]);
      }
      rmSync(mountPoint, { recursive: true, force: true });
    }
  });
});

/** Writes `path` until the disk refuses (ENOSPC); returns the bytes written. */
function fillDisk(path: string): number {
  mkdirSync(join(path, '..'), { recursive: true });
  const chunk = Buffer.alloc(256 * 1024, 0x47);
  const fd = openSync(path, 'w');
  let written = 0;
  try {
    for (;;) written += writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
  return written;
}
