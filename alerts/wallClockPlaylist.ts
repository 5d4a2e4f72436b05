// A camera's live HLS playlist read from its folder and put on the wall clock (alerts/livePlaylist.ts
// wallClockCorrectionMs, from the listed segments' write times): what the wall is served, so its boxes meet the
// picture they were found in, and what an evidence clip keeps.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseTimedPlaylist, shiftProgramDates, wallClockCorrectionMs, type TimedSegment } from './livePlaylist.ts';

/** The live playlist ingest writes in each camera's HLS folder (ingest/ffmpegArgs.ts HLS_PLAYLIST_NAME). */
const LIVE_PLAYLIST_NAME = 'index.m3u8';
/** Only plain segment names are looked at: a listed name can never reach outside the camera's folder. */
const SEGMENT_NAME = /^[A-Za-z0-9_-]{1,64}\.(ts|m4s|mp4)$/;

export interface WallClockPlaylist {
  /** The playlist with its dates moved by correctionMs. */
  text: string;
  /** Its plain-named dated segments, on the wall clock. */
  segments: TimedSegment[];
  /** Added to ffmpeg's dates (about −750 ms: they were late). */
  correctionMs: number;
}

/** The playlist `name` in hlsDir on the wall clock, or null while there is none (camera starting, or gone). */
export async function readWallClockPlaylist(
  hlsDir: string,
  name = LIVE_PLAYLIST_NAME,
): Promise<WallClockPlaylist | null> {
  let text: string;
  try {
    text = await readFile(join(hlsDir, name), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const listed = parseTimedPlaylist(text).filter((segment) => SEGMENT_NAME.test(segment.name));
  const written = await Promise.all(
    listed.map(async (segment) => {
      // Listed a moment before its temp file is renamed: the newest may not be there yet.
      const found = await stat(join(hlsDir, segment.name)).catch(() => null);
      return found ? ([segment.name, found.mtimeMs] as const) : null;
    }),
  );
  const correctionMs = wallClockCorrectionMs(
    listed,
    new Map(written.filter((entry): entry is readonly [string, number] => entry !== null)),
  );
  return {
    text: shiftProgramDates(text, correctionMs),
    segments: listed.map((segment) => ({ ...segment, startMs: segment.startMs + correctionMs })),
    correctionMs,
  };
}
