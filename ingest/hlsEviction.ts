// Which files of the HLS root go when it holds more than its limit: pure (a listing in, a plan out), so the
// order — stale folders first, then live cameras' segments past their window, never what a live playlist lists — is pinned by unit tests.
import { HLS_PLAYLIST_NAME } from './ffmpegArgs.ts';

export interface HlsFileInfo {
  /** The camera folder holding the file, or null for a loose file in the HLS root itself. */
  folder: string | null;
  name: string;
  sizeBytes: number;
  mtimeMs: number;
}

/** A folder a running supervisor writes to, with the segment names its playlist lists right now. */
export interface LiveFolder {
  /** null: no readable playlist yet (ffmpeg starting), so nothing in the folder may be judged unlisted. */
  listed: ReadonlySet<string> | null;
}

export type EvictionTier = 'stale' | 'unlisted';

export interface EvictionCandidate extends HlsFileInfo {
  tier: EvictionTier;
}

export interface EvictionPlan {
  totalBytes: number;
  limitBytes: number;
  /** Oldest first within each tier, stale before unlisted; empty when totalBytes ≤ limitBytes. */
  evict: EvictionCandidate[];
  /** What the root holds once the plan ran. */
  remainingBytes: number;
  /** remainingBytes is still above the limit: only protected files are left (the quota is too small). */
  stillOver: boolean;
}

export interface PlanOptions {
  files: readonly HlsFileInfo[];
  live: ReadonlyMap<string, LiveFolder>;
  limitBytes: number;
  /**
   * Once over the limit, evict down to this fraction of it (default 0.9): a root hovering at the limit
   * would otherwise lose one file per sweep forever.
   */
  lowWaterRatio?: number;
}

const SEGMENT_NUMBER = /(\d+)\.ts$/;

export function planHlsEviction(options: PlanOptions): EvictionPlan {
  const { files, live, limitBytes } = options;
  const totalBytes = files.reduce((sum, file) => sum + file.sizeBytes, 0);
  if (totalBytes <= limitBytes)
    return { totalBytes, limitBytes, evict: [], remainingBytes: totalBytes, stillOver: false };
  const targetBytes = Math.floor(limitBytes * (options.lowWaterRatio ?? 0.9));
  const newestListed = newestListedNumbers(live);
  const candidates: EvictionCandidate[] = [];
  for (const file of files) {
    const tier = evictionTier(file, live, newestListed);
    if (tier) candidates.push({ ...file, tier });
  }
  candidates.sort(
    (a, b) => tierRank(a.tier) - tierRank(b.tier) || a.mtimeMs - b.mtimeMs || a.name.localeCompare(b.name),
  );
  const evict: EvictionCandidate[] = [];
  let remainingBytes = totalBytes;
  for (const candidate of candidates) {
    if (remainingBytes <= targetBytes) break;
    evict.push(candidate);
    remainingBytes -= candidate.sizeBytes;
  }
  return { totalBytes, limitBytes, evict, remainingBytes, stillOver: remainingBytes > limitBytes };
}

/** null when the file is protected: a live playlist, what it lists, or what ffmpeg is writing. */
export function evictionTier(
  file: HlsFileInfo,
  live: ReadonlyMap<string, LiveFolder>,
  newestListed: ReadonlyMap<string, number> = newestListedNumbers(live),
): EvictionTier | null {
  const folder = file.folder === null ? undefined : live.get(file.folder);
  if (!folder) return 'stale';
  if (folder.listed === null) return null;
  // The playlist and its temp twin, and a segment still being written (temp_file: "seg_N.ts.tmp").
  if (file.name === HLS_PLAYLIST_NAME || file.name.endsWith('.tmp')) return null;
  if (folder.listed.has(file.name)) return null;
  // A segment renamed into place just before the playlist that lists it is rewritten: newer than the window.
  const number = segmentNumber(file.name);
  const newest = newestListed.get(file.folder!);
  if (number !== null && newest !== undefined && number > newest) return null;
  if (number !== null && newest === undefined) return null; // an empty playlist: every segment may be the next
  return 'unlisted';
}

function newestListedNumbers(live: ReadonlyMap<string, LiveFolder>): Map<string, number> {
  const newest = new Map<string, number>();
  for (const [folder, { listed }] of live) {
    for (const name of listed ?? []) {
      const number = segmentNumber(name);
      if (number !== null && number > (newest.get(folder) ?? -1)) newest.set(folder, number);
    }
  }
  return newest;
}

function segmentNumber(name: string): number | null {
  const match = SEGMENT_NUMBER.exec(name);
  return match ? Number(match[1]) : null;
}

function tierRank(tier: EvictionTier): number {
  return tier === 'stale' ? 0 : 1;
}
