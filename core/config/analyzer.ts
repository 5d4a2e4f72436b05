// Settings of `analyzer` (one section of core/config.ts's schema).

import Type from 'typebox';
import { strict } from './strict.ts';

export const AnalyzerConfigSchema = Type.Object(
  {
    /** A camera's lease lives this long unrenewed: a dead analyzer's cameras move within about this. */
    leaseTtlMs: Type.Integer({ minimum: 1000, maximum: 120000, default: 5000 }),
    /** How often the enabled cameras are re-read from PostgreSQL. */
    cameraListIntervalMs: Type.Integer({ minimum: 200, maximum: 600000, default: 3000 }),
    /** How often each camera's analysis (lines, zones) is re-read, to rebuild its pipeline when edited. */
    analysisRefreshMs: Type.Integer({ minimum: 200, maximum: 600000, default: 5000 }),
    /** A minute is written once the newest capture time is this far past its end (late, held crossings). */
    allowedLatenessMs: Type.Integer({ minimum: 0, maximum: 120000, default: 3000 }),
    /**
     * A missing seq is given up once a result this much newer (capture time) is buffered. Seqs dropped or
     * rejected upstream are marked skipped in the stream and never waited for, so this only has to cover
     * a frame whose worker died: at least queue.lockDurationMs + queue.stalledIntervalMs (checked at load).
     */
    reorderMaxWaitMs: Type.Integer({ minimum: 0, maximum: 1200000, default: 20000 }),
    /** Results held at most while waiting for a missing seq: 20 s at 25 fps is 500; results are small. */
    reorderMaxBuffered: Type.Integer({ minimum: 1, maximum: 100000, default: 1000 }),
    /** Results read per XREAD. */
    readBatchSize: Type.Integer({ minimum: 1, maximum: 10000, default: 200 }),
    /** XREAD BLOCK time; also how quickly a stopped camera loop notices. */
    readBlockMs: Type.Integer({ minimum: 10, maximum: 10000, default: 500 }),
    /** State is checkpointed at least this often (wall clock) when nothing is waiting to be written. */
    checkpointIntervalMs: Type.Integer({ minimum: 100, maximum: 600000, default: 5000 }),
    /** Rows kept per camera while PostgreSQL refuses them; reading pauses beyond this. */
    pendingMaxRows: Type.Integer({ minimum: 10, maximum: 1000000, default: 20000 }),
    /** Live tracks are published at most this often per camera. */
    liveIntervalMs: Type.Integer({ minimum: 0, maximum: 60000, default: 200 }),
    /** Margin around each line and zone of the inference crops, px of the analysed frame. */
    cropMarginPx: Type.Integer({ minimum: 0, maximum: 2000, default: 48 }),
    /**
     * Where detection runs on each frame: the whole frame plus a crop around the camera's lines and zones
     * (small objects near them get more model pixels), the whole frame alone, or the whole frame plus
     * 3x2 overlapping tiles. The accuracy-cost table in the README measures each: at 960x544 the crops
     * double the model time and count no better, so the whole frame alone is the default.
     */
    inferenceRegions: Type.Union(
      [Type.Literal('lines-and-zones'), Type.Literal('whole-frame'), Type.Literal('tiles')],
      { default: 'whole-frame' },
    ),
    /**
     * A camera whose stream brings nothing for this long (wall clock) has its open minutes written as
     * they stand, so an offline camera's last minute is not held back until it returns (later frames
     * of that minute still update its row: rows are totals).
     */
    idleFlushMs: Type.Integer({ minimum: 1000, maximum: 3600000, default: 15000 }),
  },
  { ...strict, default: {} },
);
