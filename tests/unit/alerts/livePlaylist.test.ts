import { describe, expect, it } from 'vitest';
import { parseTimedPlaylist, vodPlaylist } from '../../../alerts/livePlaylist.ts';

// What ingest's ffmpeg 5 writes: the date between #EXTINF and the URI, "+0000" offsets, a discontinuity
// where append_list continued the list after a reconnect.
const LIVE = `#EXTM3U
#EXT-X-VERSION:3
#EXT-X-TARGETDURATION:2
#EXT-X-MEDIA-SEQUENCE:40
#EXTINF:2.000000,
#EXT-X-PROGRAM-DATE-TIME:2026-11-25T12:00:00.000+0000
seg_40.ts
#EXTINF:2.000000,
seg_41.ts
#EXT-X-DISCONTINUITY
#EXTINF:1.500000,
#EXT-X-PROGRAM-DATE-TIME:2026-11-25T12:00:10.000+0000
seg_42.ts
#EXTINF:2.000000,
#EXT-X-PROGRAM-DATE-TIME:2026-11-25T12:00:11.500+0000
seg_43.ts
`;
const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);

describe('live playlist timeline', () => {
  it('dates every segment from its program date time, or from the previous end', () => {
    expect(parseTimedPlaylist(LIVE)).toEqual([
      { name: 'seg_40.ts', startMs: T0, durationMs: 2000, discontinuity: false },
      { name: 'seg_41.ts', startMs: T0 + 2000, durationMs: 2000, discontinuity: false },
      { name: 'seg_42.ts', startMs: T0 + 10_000, durationMs: 1500, discontinuity: true },
      { name: 'seg_43.ts', startMs: T0 + 11_500, durationMs: 2000, discontinuity: false },
    ]);
  });

  it('skips segments that no date places in time', () => {
    expect(parseTimedPlaylist('#EXTM3U\n#EXTINF:2.0,\nseg_1.ts\n#EXTINF:2.0,\nseg_2.ts\n')).toEqual([]);
  });

  it('writes a dated VOD playlist with a discontinuity at breaks and gaps, and an end', () => {
    const segments = parseTimedPlaylist(LIVE);
    const vod = vodPlaylist([segments[3]!, segments[0]!, segments[2]!]);
    expect(vod.split('\n')).toEqual([
      '#EXTM3U',
      '#EXT-X-VERSION:3',
      '#EXT-X-TARGETDURATION:2',
      '#EXT-X-MEDIA-SEQUENCE:0',
      '#EXT-X-PLAYLIST-TYPE:VOD',
      '#EXT-X-PROGRAM-DATE-TIME:2026-11-25T12:00:00.000Z',
      '#EXTINF:2.000000,',
      'seg_40.ts',
      '#EXT-X-DISCONTINUITY',
      '#EXT-X-PROGRAM-DATE-TIME:2026-11-25T12:00:10.000Z',
      '#EXTINF:1.500000,',
      'seg_42.ts',
      '#EXT-X-PROGRAM-DATE-TIME:2026-11-25T12:00:11.500Z',
      '#EXTINF:2.000000,',
      'seg_43.ts',
      '#EXT-X-ENDLIST',
      '',
    ]);
  });
});
