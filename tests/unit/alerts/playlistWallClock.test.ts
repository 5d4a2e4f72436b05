// ffmpeg's program dates put on the wall clock: the correction is the median of (segment written − its dated
// end), and every date tag moves by it.
import { describe, expect, it } from 'vitest';
import { parseTimedPlaylist, shiftProgramDates, wallClockCorrectionMs } from '../../../alerts/livePlaylist.ts';

/** As ffmpeg writes it with program_date_time: a date before each segment, 2 s segments from 10:00:00.400. */
const PLAYLIST = [
  '#EXTM3U',
  '#EXT-X-VERSION:3',
  '#EXT-X-TARGETDURATION:2',
  '#EXT-X-MEDIA-SEQUENCE:15',
  '#EXTINF:2.000000,',
  '#EXT-X-PROGRAM-DATE-TIME:2026-12-07T10:00:00.400+0000',
  'seg_15.ts',
  '#EXTINF:2.000000,',
  '#EXT-X-PROGRAM-DATE-TIME:2026-12-07T10:00:02.400+0000',
  'seg_16.ts',
  '#EXTINF:1.500000,',
  'seg_17.ts',
  '',
].join('\n');
const at = (iso: string) => Date.parse(iso);

describe("ffmpeg's program dates on the wall clock", () => {
  it('corrects by the median of written − dated end, so one late write does not move the dates', () => {
    const segments = parseTimedPlaylist(PLAYLIST);
    expect(segments.map((s) => s.startMs + s.durationMs)).toEqual([
      at('2026-12-07T10:00:02.400Z'),
      at('2026-12-07T10:00:04.400Z'),
      at('2026-12-07T10:00:05.900Z'),
    ]);
    // ffmpeg dated the picture ~0.75 s late: each segment was written ~0.75 s before its dated end.
    const written = new Map([
      ['seg_15.ts', at('2026-12-07T10:00:01.640Z')],
      ['seg_16.ts', at('2026-12-07T10:00:03.650Z')],
      ['seg_17.ts', at('2026-12-07T10:00:07.900Z')], // a slow disk: written 2 s late
    ]);
    expect(wallClockCorrectionMs(segments, written)).toBe(-750);
    expect(wallClockCorrectionMs(segments, new Map([...written].slice(0, 2)))).toBe(-755);
    expect(wallClockCorrectionMs(segments, new Map())).toBe(0);
  });

  it('leaves a clock step alone (a correction beyond 10 s)', () => {
    const segments = parseTimedPlaylist(PLAYLIST);
    const written = new Map(segments.map((s) => [s.name, s.startMs + s.durationMs + 3_600_000]));
    expect(wallClockCorrectionMs(segments, written)).toBe(0);
  });

  it('moves every date tag and nothing else', () => {
    const shifted = shiftProgramDates(PLAYLIST, -750);
    expect(shifted.split('\n').filter((l) => l.startsWith('#EXT-X-PROGRAM-DATE-TIME:'))).toEqual([
      '#EXT-X-PROGRAM-DATE-TIME:2026-12-07T09:59:59.650Z',
      '#EXT-X-PROGRAM-DATE-TIME:2026-12-07T10:00:01.650Z',
    ]);
    const others = (text: string) => text.split('\n').filter((l) => !l.startsWith('#EXT-X-PROGRAM-DATE-TIME:'));
    expect(others(shifted)).toEqual(others(PLAYLIST));
    expect(parseTimedPlaylist(shifted).map((s) => s.startMs)).toEqual(
      parseTimedPlaylist(PLAYLIST).map((s) => s.startMs - 750),
    );
    expect(shiftProgramDates(PLAYLIST, 0)).toBe(PLAYLIST);
  });
});
