import { describe, expect, it } from 'vitest';
import { parseHlsPlaylist } from '../../../ingest/hlsPlaylist.ts';

describe('parseHlsPlaylist', () => {
  it('lists segments with their durations and the media sequence', () => {
    const playlist = [
      '#EXTM3U',
      '#EXT-X-VERSION:3',
      '#EXT-X-TARGETDURATION:2',
      '#EXT-X-MEDIA-SEQUENCE:41',
      '#EXT-X-PROGRAM-DATE-TIME:2026-11-25T10:26:41.390+0000',
      '#EXTINF:2.002000,',
      'seg_41.ts',
      '#EXT-X-DISCONTINUITY',
      '#EXTINF:1.968000,',
      'seg_42.ts',
      '',
    ].join('\n');
    expect(parseHlsPlaylist(playlist)).toEqual({
      mediaSequence: 41,
      segments: [
        { name: 'seg_41.ts', durationSec: 2.002 },
        { name: 'seg_42.ts', durationSec: 1.968 },
      ],
    });
  });

  it('is empty before the first segment', () => {
    expect(parseHlsPlaylist('#EXTM3U\n')).toEqual({ mediaSequence: 0, segments: [] });
  });
});
