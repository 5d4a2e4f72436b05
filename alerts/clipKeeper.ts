// An alert's evidence clip: the live HLS segments around the event, hard-linked out of the camera's rolling
// window as soon as they are listed (before ffmpeg deletes them) into the alert's own folder, as a VOD playlist.
import { copyFile, link, mkdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ValidationError } from '../core/errors.ts';
import { vodPlaylist, type TimedSegment } from './livePlaylist.ts';
import { readWallClockPlaylist } from './wallClockPlaylist.ts';

export const CLIP_PLAYLIST_NAME = 'index.m3u8';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface KeepClipOptions {
  /** The camera's live HLS folder (`<hlsRoot>/<cameraId>`). */
  hlsDir: string;
  /** The alert's evidence folder (`<evidenceRoot>/<alertId>`); created when needed. */
  evidenceDir: string;
  /** Wall-clock span to keep, UTC epoch ms (the event time − clipBeforeMs … + clipAfterMs). */
  fromMs: number;
  toMs: number;
  /** How often the live playlist is re-read; well under a segment's duration so none is missed. */
  pollMs: number;
  /** Wall-clock time (epoch ms) after which the clip is closed with what was kept (a camera gone offline). */
  deadlineMs: number;
  /** Clock; Date.now by default. */
  nowMs?: () => number;
  /** Aborting (shutdown) closes the clip with what was kept so far. */
  signal?: AbortSignal;
}

export interface KeptClip {
  state: 'ready' | 'unavailable';
  segments: number;
  /** Span the kept segments really cover (the requested span when nothing was kept). */
  fromMs: number;
  toMs: number;
}

/**
 * Follows the live playlist until a segment starting at or after `toMs` is listed (every segment of the
 * span has then been seen), or the deadline passes, linking each overlapping segment the first time it is
 * found on disk; then writes the VOD playlist. 'unavailable' (and no folder) when nothing overlapped.
 */
export async function keepClip(options: KeepClipOptions): Promise<KeptClip> {
  const now = options.nowMs ?? Date.now;
  const kept = new Map<string, TimedSegment>();
  await mkdir(options.evidenceDir, { recursive: true });
  for (;;) {
    const listed = await readLivePlaylist(options.hlsDir);
    for (const segment of listed) {
      if (kept.has(segment.name) || !overlaps(segment, options.fromMs, options.toMs)) continue;
      if (await linkSegment(options.hlsDir, options.evidenceDir, segment.name)) kept.set(segment.name, segment);
    }
    const spanComplete = listed.some((segment) => segment.startMs >= options.toMs);
    if (spanComplete || now() >= options.deadlineMs || options.signal?.aborted) break;
    await delay(options.pollMs, undefined, { signal: options.signal }).catch(() => undefined);
  }
  return closeClip(options, [...kept.values()]);
}

async function closeClip(options: KeepClipOptions, kept: TimedSegment[]): Promise<KeptClip> {
  if (kept.length === 0) {
    // Nothing to show: leave no empty folder behind (a folder that is not empty is not ours to remove).
    await rmdir(options.evidenceDir).catch(() => undefined);
    return { state: 'unavailable', segments: 0, fromMs: options.fromMs, toMs: options.toMs };
  }
  // Written aside and renamed, so a reader never sees half a playlist.
  const target = join(options.evidenceDir, CLIP_PLAYLIST_NAME);
  await writeFile(`${target}.tmp`, vodPlaylist(kept));
  await rename(`${target}.tmp`, target);
  return {
    state: 'ready',
    segments: kept.length,
    fromMs: Math.min(...kept.map((s) => s.startMs)),
    toMs: Math.max(...kept.map((s) => s.startMs + s.durationMs)),
  };
}

/** The listed segments on the wall clock the event is dated by; none while there is no playlist (camera starting). */
async function readLivePlaylist(hlsDir: string): Promise<TimedSegment[]> {
  return (await readWallClockPlaylist(hlsDir))?.segments ?? [];
}

function overlaps(segment: TimedSegment, fromMs: number, toMs: number): boolean {
  return segment.startMs < toMs && segment.startMs + segment.durationMs > fromMs;
}

/**
 * Links (or, across file systems, copies) one segment into the evidence folder. False when it is not on
 * disk: ffmpeg lists a segment a moment before its temp file is renamed, so the next poll tries again.
 */
async function linkSegment(hlsDir: string, evidenceDir: string, name: string): Promise<boolean> {
  const source = join(hlsDir, name);
  const target = join(evidenceDir, name);
  try {
    await link(source, target);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return false;
    // Kept by an earlier run for the same alert (a restart): the same segment, already safe.
    if (code === 'EEXIST') return true;
    if (code !== 'EXDEV' && code !== 'EPERM') throw err;
  }
  // Evidence on another device (or a file system without hard links): a copy costs I/O but keeps it.
  try {
    await copyFile(source, `${target}.tmp`);
    await rename(`${target}.tmp`, target);
    return true;
  } catch (err) {
    await rm(`${target}.tmp`, { force: true });
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/**
 * Deletes the evidence folders of alerts whose retention ended. Ids are alert uuids; anything else is
 * refused before a path is formed, so no id can name a folder outside the evidence root.
 */
export async function removeExpiredEvidence(evidenceRoot: string, alertIds: readonly string[]): Promise<number> {
  const invalid = alertIds.filter((id) => !UUID.test(id));
  if (invalid.length > 0) {
    throw new ValidationError(
      `not alert ids: ${invalid
        .slice(0, 3)
        .map((id) => JSON.stringify(id))
        .join(', ')}`,
      { field: 'alertIds' },
    );
  }
  let removed = 0;
  for (const id of alertIds) {
    const folder = join(evidenceRoot, id);
    const existed = await rm(folder, { recursive: true }).then(
      () => true,
      (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return false;
        throw err;
      },
    );
    if (existed) removed++;
  }
  return removed;
}
