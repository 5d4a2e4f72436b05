// Settings of `queue` (one section of core/config.ts's schema).

import Type from 'typebox';
import { strict } from './strict.ts';

export const QueueConfigSchema = Type.Object(
  {
    /** K: frames of one camera waiting at most; the oldest is dropped (and counted) beyond it. */
    maxWaitingPerCamera: Type.Integer({ minimum: 1, maximum: 1000, default: 8 }),
    /** Frames one worker process handles at once; sessions + 1 lets decoding the next frame overlap inference. */
    workerConcurrency: Type.Integer({ minimum: 1, maximum: 64, default: 2 }),
    /** Tries of a frame that failed for a transient reason; a poison frame is never retried. */
    attempts: Type.Integer({ minimum: 1, maximum: 20, default: 3 }),
    backoffMs: Type.Integer({ minimum: 0, maximum: 60000, default: 500 }),
    /**
     * A worker that stops renewing its lock this long (crash, SIGKILL) has its frame taken over, at the
     * next stalled check: within lockDurationMs + stalledIntervalMs. BullMQ renews a held frame's lock every
     * lockDurationMs / 2 while a frame takes ~20–200 ms, so 10 s only expires for a dead or frozen worker.
     */
    lockDurationMs: Type.Integer({ minimum: 1000, maximum: 600000, default: 10000 }),
    stalledIntervalMs: Type.Integer({ minimum: 500, maximum: 600000, default: 5000 }),
    /** Results kept per camera stream (approximate MAXLEN). */
    resultsMaxLen: Type.Integer({ minimum: 10, maximum: 1000000, default: 2000 }),
    /** Failed (rejected) frames kept for inspection: their ids and sizes (the JPEG expires with frameWaitMaxMs). */
    failedKeep: Type.Integer({ minimum: 0, maximum: 10000, default: 100 }),
    /**
     * A queued frame's JPEG is kept in Redis this long for a worker to take it (the job carries only its key);
     * one taken later is counted as dropped. At least lockDurationMs + stalledIntervalMs (checked at load),
     * so a frame taken over from a dead worker still finds its JPEG.
     */
    frameWaitMaxMs: Type.Integer({ minimum: 1000, maximum: 600000, default: 30000 }),
  },
  { ...strict, default: {} },
);
