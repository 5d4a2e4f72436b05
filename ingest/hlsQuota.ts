// Keeps the HLS root under media.hlsQuotaMb and its disk from filling: every sweep sums the root, and above
// the limit evicts what planHlsEviction picks (never a live playlist or its segments), logging what went.
import { readdir, rmdir, stat, statfs, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../core/logger.ts';
import { planHlsEviction, type HlsFileInfo, type LiveFolder } from './hlsEviction.ts';
import { readHlsPlaylist } from './hlsPlaylist.ts';

export interface HlsQuotaSweeperOptions {
  hlsRoot: string;
  quotaBytes: number;
  sweepIntervalMs: number;
  /** Camera folders a supervisor writes to right now; asked after each listing, and again before a stale delete. */
  liveCameraIds: () => Iterable<string>;
  logger: Logger;
  /**
   * Free space to keep on the root's filesystem: below it the sweeper evicts as if over quota, so a disk
   * shared with other data (or a quota set larger than the disk) never leaves ffmpeg writing into ENOSPC.
   * Default: 5% of the filesystem, at most 256 MiB.
   */
  reserveBytes?: number;
}

export interface HlsSweepResult {
  atMs: number;
  totalBytes: number;
  /** min(quota, what the disk allows with its reserve kept free). */
  limitBytes: number;
  evictedFiles: number;
  evictedBytes: number;
  /** Over the limit with only protected files left. */
  stillOver: boolean;
}

export interface HlsQuotaStats {
  lastSweep: HlsSweepResult | null;
  evictedFilesTotal: number;
  evictedBytesTotal: number;
}

const MAX_RESERVE_BYTES = 256 * 1024 * 1024;

export class HlsQuotaSweeper {
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<HlsSweepResult | null> | null = null;
  private closed = false;
  private warnedStillOver = false;
  private readonly totals: HlsQuotaStats = { lastSweep: null, evictedFilesTotal: 0, evictedBytesTotal: 0 };
  private readonly log: Logger;

  constructor(private readonly options: HlsQuotaSweeperOptions) {
    this.log = options.logger.child({ component: 'hls-quota' });
  }

  /** Sweeps every sweepIntervalMs until close(); idempotent. */
  start(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => void this.sweep(), this.options.sweepIntervalMs);
    this.timer.unref(); // a forgotten sweeper must not keep a process alive
  }

  stats(): HlsQuotaStats {
    return { ...this.totals };
  }

  /** One sweep now; a sweep already running is joined rather than doubled. Null once closed. */
  sweep(): Promise<HlsSweepResult | null> {
    if (this.closed) return Promise.resolve(null);
    this.inFlight ??= this.sweepOnce()
      .catch((err: unknown) => {
        this.log.warn({ err }, 'HLS quota sweep failed');
        return null;
      })
      .finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  /** Stops sweeping and waits for a sweep in progress. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.inFlight;
  }

  private async sweepOnce(): Promise<HlsSweepResult> {
    const { hlsRoot } = this.options;
    const files = await listHlsFiles(hlsRoot);
    // Read after the listing: a camera started meanwhile is then protected rather than swept as stale.
    const live = await liveFolders(hlsRoot, this.options.liveCameraIds());
    const limitBytes = await this.limitBytes(files.reduce((sum, f) => sum + f.sizeBytes, 0));
    const plan = planHlsEviction({ files, live, limitBytes });
    let evictedFiles = 0;
    let evictedBytes = 0;
    const staleFolders = new Set<string>();
    for (const file of plan.evict) {
      if (file.tier === 'stale' && file.folder !== null) {
        if (this.isLiveNow(file.folder)) continue;
        staleFolders.add(file.folder);
      }
      const path = file.folder === null ? join(hlsRoot, file.name) : join(hlsRoot, file.folder, file.name);
      if (await removeFile(path)) {
        evictedFiles++;
        evictedBytes += file.sizeBytes;
      }
    }
    // A stopped camera's folder left empty goes too (only if still not live and really empty).
    for (const folder of staleFolders) {
      if (!this.isLiveNow(folder)) await rmdir(join(hlsRoot, folder)).catch(() => undefined);
    }
    const result: HlsSweepResult = {
      atMs: Date.now(),
      totalBytes: plan.totalBytes,
      limitBytes,
      evictedFiles,
      evictedBytes,
      stillOver: plan.stillOver,
    };
    this.record(
      result,
      plan.evict.slice(0, 5).map((f) => (f.folder ? `${f.folder}/${f.name}` : f.name)),
    );
    return result;
  }

  private record(result: HlsSweepResult, examples: string[]): void {
    this.totals.lastSweep = result;
    this.totals.evictedFilesTotal += result.evictedFiles;
    this.totals.evictedBytesTotal += result.evictedBytes;
    if (result.evictedFiles > 0) {
      this.log.info({ ...result, examples }, 'HLS root over its limit: evicted the oldest unlisted files');
    }
    if (result.stillOver && !this.warnedStillOver) {
      this.log.warn(
        result,
        'HLS root still over its limit with only live playlists and their segments left: raise media.hlsQuotaMb',
      );
    }
    this.warnedStillOver = result.stillOver;
  }

  /** The quota, lowered when the filesystem's free space falls under the reserve. */
  private async limitBytes(usedBytes: number): Promise<number> {
    const { quotaBytes, hlsRoot } = this.options;
    const fs = await statfs(hlsRoot).catch(() => null);
    if (!fs) return quotaBytes;
    const diskBytes = fs.blocks * fs.bsize;
    const freeBytes = fs.bavail * fs.bsize;
    const reserveBytes = this.options.reserveBytes ?? Math.min(MAX_RESERVE_BYTES, Math.floor(diskBytes * 0.05));
    return Math.max(0, Math.min(quotaBytes, usedBytes + freeBytes - reserveBytes));
  }

  private isLiveNow(folder: string): boolean {
    for (const id of this.options.liveCameraIds()) if (id === folder) return true;
    return false;
  }
}

/** Every file one level down (camera folders) and loose files in the root; whatever vanishes meanwhile is skipped. */
async function listHlsFiles(hlsRoot: string): Promise<HlsFileInfo[]> {
  const files: HlsFileInfo[] = [];
  const entries = await readdir(hlsRoot, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (entry.isFile()) {
      const info = await fileInfo(join(hlsRoot, entry.name), null, entry.name);
      if (info) files.push(info);
    } else if (entry.isDirectory()) {
      const names = await readdir(join(hlsRoot, entry.name), { withFileTypes: true }).catch(() => []);
      for (const child of names) {
        if (!child.isFile()) continue;
        const info = await fileInfo(join(hlsRoot, entry.name, child.name), entry.name, child.name);
        if (info) files.push(info);
      }
    }
  }
  return files;
}

async function fileInfo(path: string, folder: string | null, name: string): Promise<HlsFileInfo | null> {
  try {
    const { size, mtimeMs } = await stat(path);
    return { folder, name, sizeBytes: size, mtimeMs };
  } catch {
    return null; // ffmpeg deleted or renamed it between the listing and the stat
  }
}

async function liveFolders(hlsRoot: string, cameraIds: Iterable<string>): Promise<Map<string, LiveFolder>> {
  const live = new Map<string, LiveFolder>();
  for (const id of [...cameraIds]) {
    const playlist = await readHlsPlaylist(join(hlsRoot, id)).catch(() => null);
    live.set(id, { listed: playlist ? new Set(playlist.segments.map((s) => s.name)) : null });
  }
  return live;
}

async function removeFile(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false; // ffmpeg's own delete came first
    throw err;
  }
}
