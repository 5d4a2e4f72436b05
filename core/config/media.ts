// Settings of `media` (one section of core/config.ts's schema).

import Type from 'typebox';
import { strict } from './strict.ts';

export const MediaConfigSchema = Type.Object(
  {
    ffmpegPath: Type.String({ minLength: 1, default: 'ffmpeg' }),
    ffprobePath: Type.String({ minLength: 1, default: 'ffprobe' }),
    hlsSegmentSeconds: Type.Number({ minimum: 1, maximum: 10, default: 2 }),
    hlsListSize: Type.Integer({ minimum: 3, maximum: 30, default: 6 }),
    /**
     * Most the HLS root may hold, MiB. Above it ingest evicts files no live playlist lists (stale folders
     * first, then live cameras' segments past their window), never a playlist or what it lists. A camera
     * at 4 Mbit/s with the default list keeps about 11 MiB, so the default holds some 350 cameras.
     */
    hlsQuotaMb: Type.Integer({ minimum: 1, maximum: 16777216, default: 4096 }),
    /** How often the HLS root is summed against hlsQuotaMb and the disk's free space. */
    hlsQuotaSweepMs: Type.Integer({ minimum: 200, maximum: 600000, default: 5000 }),
  },
  { ...strict, default: {} },
);
