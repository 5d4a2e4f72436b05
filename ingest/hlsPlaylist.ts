// Reads the rolling HLS playlist ffmpeg writes for a camera: which segments are listed, how long each is.
// The supervisor polls it to know that the wall's output is progressing and how many kbps it carries.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { HLS_PLAYLIST_NAME } from './ffmpegArgs.ts';

export interface HlsSegment {
  name: string;
  durationSec: number;
}

export interface HlsPlaylist {
  mediaSequence: number;
  segments: HlsSegment[];
}

export function parseHlsPlaylist(text: string): HlsPlaylist {
  let mediaSequence = 0;
  let pendingDurationSec: number | null = null;
  const segments: HlsSegment[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#EXT-X-MEDIA-SEQUENCE:')) {
      mediaSequence = Number.parseInt(line.slice('#EXT-X-MEDIA-SEQUENCE:'.length), 10) || 0;
    } else if (line.startsWith('#EXTINF:')) {
      pendingDurationSec = Number.parseFloat(line.slice('#EXTINF:'.length));
    } else if (line !== '' && !line.startsWith('#')) {
      segments.push({ name: line, durationSec: pendingDurationSec ?? 0 });
      pendingDurationSec = null;
    }
  }
  return { mediaSequence, segments };
}

/** The playlist in hlsDir, or null while ffmpeg has not written one yet. */
export async function readHlsPlaylist(hlsDir: string): Promise<HlsPlaylist | null> {
  try {
    return parseHlsPlaylist(await readFile(join(hlsDir, HLS_PLAYLIST_NAME), 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Bitrate of one finished segment from its size and listed duration; null if it vanished (rolled off). */
export async function segmentBitrateKbps(hlsDir: string, segment: HlsSegment): Promise<number | null> {
  if (!(segment.durationSec > 0)) return null;
  try {
    const { size } = await stat(join(hlsDir, segment.name));
    return Math.round((size * 8) / 1000 / segment.durationSec);
  } catch {
    return null;
  }
}

/**
 * Notices each new segment in a camera's playlist. The playlist a previous ffmpeg left (append_list continues
 * it) is the baseline, not progress of the new run.
 */
export class SegmentWatch {
  private lastKey: string | null = null;

  private constructor(private readonly hlsDir: string) {}

  static async from(hlsDir: string): Promise<SegmentWatch> {
    const watch = new SegmentWatch(hlsDir);
    const baseline = await readHlsPlaylist(hlsDir).catch(() => null);
    watch.lastKey = baseline ? newestKey(baseline) : null;
    return watch;
  }

  /** The newest segment and its bitrate if one appeared since the last poll, else null. */
  async poll(): Promise<{ segment: HlsSegment; bitrateKbps: number | null } | null> {
    const playlist = await readHlsPlaylist(this.hlsDir).catch(() => null);
    const key = playlist ? newestKey(playlist) : null;
    const segment = playlist?.segments.at(-1);
    if (!key || !segment || key === this.lastKey) return null;
    this.lastKey = key;
    return { segment, bitrateKbps: await segmentBitrateKbps(this.hlsDir, segment) };
  }
}

function newestKey(playlist: HlsPlaylist): string | null {
  const newest = playlist.segments.at(-1);
  return newest ? `${playlist.mediaSequence}:${newest.name}` : null;
}
