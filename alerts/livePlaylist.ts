// The wall-clock timeline of a camera's live HLS playlist: each listed segment with its start (from
// #EXT-X-PROGRAM-DATE-TIME, which ingest writes) and duration, the correction that puts ffmpeg's dates on the
// wall clock, and the VOD playlist an evidence clip keeps.

const DATE_TAG = '#EXT-X-PROGRAM-DATE-TIME:';

export interface TimedSegment {
  /** File name as listed (relative to the playlist's folder). */
  name: string;
  /** Wall-clock start, UTC epoch ms. */
  startMs: number;
  durationMs: number;
  /** The segment follows a break in the stream (a reconnect): players reset their timestamps here. */
  discontinuity: boolean;
}

/**
 * Segments of a media playlist with a known wall-clock start. A program date time dates the segment it
 * precedes (ffmpeg writes it between #EXTINF and the URI); later segments without one follow on from the
 * previous end, as the HLS spec says. Segments before any date are skipped: no time, no place in a clip.
 */
export function parseTimedPlaylist(text: string): TimedSegment[] {
  const segments: TimedSegment[] = [];
  let durationMs: number | null = null;
  let dateMs: number | null = null;
  let discontinuity = false;
  let nextStartMs: number | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#EXTINF:')) {
      durationMs = Number.parseFloat(line.slice('#EXTINF:'.length)) * 1000;
    } else if (line.startsWith(DATE_TAG)) {
      const parsed = Date.parse(line.slice(DATE_TAG.length));
      dateMs = Number.isFinite(parsed) ? parsed : null;
    } else if (line === '#EXT-X-DISCONTINUITY') {
      discontinuity = true;
      nextStartMs = null; // the previous end says nothing about what follows a break
    } else if (line !== '' && !line.startsWith('#')) {
      const startMs: number | null = dateMs ?? nextStartMs;
      if (startMs !== null && durationMs !== null && Number.isFinite(durationMs) && durationMs > 0) {
        segments.push({ name: line, startMs, durationMs, discontinuity });
        nextStartMs = startMs + durationMs;
      } else {
        nextStartMs = null;
      }
      durationMs = null;
      dateMs = null;
      discontinuity = false;
    }
  }
  return segments;
}

/** A gap longer than this between two kept segments is a break the player must be told of. */
const CONTIGUOUS_TOLERANCE_MS = 500;

/**
 * A complete (VOD) playlist of kept segments in time order: every segment dated, a discontinuity where the
 * source had one or where segments are missing between two kept ones, and the end marked.
 */
export function vodPlaylist(segments: readonly TimedSegment[]): string {
  const ordered = [...segments].sort((a, b) => a.startMs - b.startMs);
  const targetS = Math.max(1, ...ordered.map((s) => Math.ceil(s.durationMs / 1000)));
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    `#EXT-X-TARGETDURATION:${targetS}`,
    '#EXT-X-MEDIA-SEQUENCE:0',
    '#EXT-X-PLAYLIST-TYPE:VOD',
  ];
  let previousEndMs: number | null = null;
  for (const segment of ordered) {
    const gap = previousEndMs !== null && Math.abs(segment.startMs - previousEndMs) > CONTIGUOUS_TOLERANCE_MS;
    if (previousEndMs !== null && (segment.discontinuity || gap)) lines.push('#EXT-X-DISCONTINUITY');
    lines.push(`${DATE_TAG}${new Date(segment.startMs).toISOString()}`);
    lines.push(`#EXTINF:${(segment.durationMs / 1000).toFixed(6)},`);
    lines.push(segment.name);
    previousEndMs = segment.startMs + segment.durationMs;
  }
  lines.push('#EXT-X-ENDLIST', '');
  return lines.join('\n');
}

/** Corrections beyond this are a clock step (NTP, a VM resumed), not ffmpeg's start-up: left alone. */
const MAX_WALL_CLOCK_CORRECTION_MS = 10_000;

/**
 * What to add to the playlist's dates to put them on the wall clock. ffmpeg dates a run's segments from when its
 * HLS muxer starts, after it has read (and buffered) the source's first packets, so every date came out ~0.75 s
 * late, and the wall's boxes (dated by the wall clock) ran that far ahead of the video. A segment's file is written
 * when the next one starts, i.e. when its picture ends: the median of (written − dated end) over the segments whose
 * write time is known; 0 when none is, or when it is a clock step.
 */
export function wallClockCorrectionMs(
  segments: readonly TimedSegment[],
  writtenAtMs: ReadonlyMap<string, number>,
): number {
  const lags = segments
    .flatMap((s) => {
      const written = writtenAtMs.get(s.name);
      return written === undefined ? [] : [written - (s.startMs + s.durationMs)];
    })
    .sort((a, b) => a - b);
  if (lags.length === 0) return 0;
  const middle = lags.length >> 1;
  const median = lags.length % 2 ? lags[middle]! : (lags[middle - 1]! + lags[middle]!) / 2;
  return Math.abs(median) > MAX_WALL_CLOCK_CORRECTION_MS ? 0 : Math.round(median);
}

/** The playlist text with every program date time moved by `correctionMs` (ISO 8601, UTC); as is for 0. */
export function shiftProgramDates(text: string, correctionMs: number): string {
  if (correctionMs === 0) return text;
  return text
    .split('\n')
    .map((line) => {
      if (!line.startsWith(DATE_TAG)) return line;
      const parsed = Date.parse(line.slice(DATE_TAG.length).trim());
      return Number.isNaN(parsed) ? line : `${DATE_TAG}${new Date(parsed + correctionMs).toISOString()}`;
    })
    .join('\n');
}
