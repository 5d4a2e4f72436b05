// Watches a running bench system from outside, the way any process reaching Redis could: every camera's
// result stream (capture, queue and publish times), the analyzer's live tracks (analysed) and its
// checkpoints (stored: rows of closed minutes are written before a checkpoint moves), and the drop counters.
import type { Redis } from 'ioredis';
import type { LiveTracksMessage } from '../core/liveChannels.ts';
import { readDroppedFrames } from '../inference/frameSink.ts';
import { readResults } from '../inference/results.ts';
import { compareStreamIds } from '../analyzer/streamTrim.ts';
import { redisChannels, redisKeys } from '../core/redis.ts';

export interface ObservedFrame {
  cameraId: string;
  seq: number;
  streamId: string;
  capturedAtMs: number;
  enqueuedAtMs: number;
  publishedAtMs: number;
  inferenceMs: number;
  regionCount: number;
  /** When the analyzer published tracks of this frame or a later one of its camera; null if not seen. */
  analysedAtMs: number | null;
  /** When the camera's checkpoint first covered this frame; null if not seen. */
  storedAtMs: number | null;
}

interface Mark {
  key: number | string;
  atMs: number;
}

export class StageProbe {
  private readonly frames = new Map<string, Map<number, ObservedFrame>>();
  private readonly lastIds = new Map<string, string>();
  /** Per camera, in arrival order: capture time of the newest analysed frame, and when it was announced. */
  private readonly analysed = new Map<string, Mark[]>();
  private readonly stored = new Map<string, Mark[]>();
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    private readonly redisPrefix: string,
    private readonly cameraIds: readonly string[],
    private readonly intervalMs = 250,
  ) {
    for (const id of cameraIds) {
      this.frames.set(id, new Map());
      this.lastIds.set(id, '0');
      this.analysed.set(id, []);
      this.stored.set(id, []);
    }
  }

  async start(): Promise<void> {
    this.subscriber.on('message', (_channel: string, text: string) => {
      const atMs = Date.now();
      try {
        const message = JSON.parse(text) as LiveTracksMessage;
        this.analysed.get(message.cameraId)?.push({ key: message.capturedAtMs, atMs });
      } catch {
        // not ours to judge: a malformed message is the analyzer tests' business
      }
    });
    await this.subscriber.subscribe(...this.cameraIds.map((id) => redisChannels.liveTracks(this.redisPrefix, id)));
    const loop = () => {
      if (this.stopped) return;
      this.polling = this.poll()
        .catch(() => undefined)
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(loop, this.intervalMs);
        });
    };
    loop();
  }

  private async poll(): Promise<void> {
    for (const cameraId of this.cameraIds) {
      for (;;) {
        const entries = await readResults(this.redis, this.redisPrefix, cameraId, {
          afterId: this.lastIds.get(cameraId)!,
          count: 500,
        });
        for (const { id, result } of entries) {
          this.lastIds.set(cameraId, id);
          const byseq = this.frames.get(cameraId)!;
          if (byseq.has(result.seq)) continue; // at-least-once delivery: the first publication counts
          byseq.set(result.seq, {
            cameraId,
            seq: result.seq,
            streamId: id,
            capturedAtMs: result.capturedAtMs,
            enqueuedAtMs: result.enqueuedAtMs,
            publishedAtMs: result.publishedAtMs,
            inferenceMs: result.inferenceMs,
            regionCount: result.regionCount,
            analysedAtMs: null,
            storedAtMs: null,
          });
        }
        if (entries.length < 500) break;
      }
      const checkpoint = await this.redis.get(redisKeys.checkpoint(this.redisPrefix, cameraId));
      const streamId = checkpoint === null ? null : /"streamId":"(\d+-\d+)"/.exec(checkpoint)?.[1];
      const marks = this.stored.get(cameraId)!;
      if (streamId && (marks.length === 0 || marks[marks.length - 1]!.key !== streamId))
        marks.push({ key: streamId, atMs: Date.now() });
    }
  }

  droppedFrames(): Promise<Record<string, number>> {
    return readDroppedFrames(this.redis, this.redisPrefix);
  }

  /** Frames seen so far (cameras whose first result arrived: the pipeline is flowing). */
  framesSeen(cameraId: string): number {
    return this.frames.get(cameraId)?.size ?? 0;
  }

  /** Every frame seen, with its analysed and stored times resolved from the marks collected. */
  observedFrames(): ObservedFrame[] {
    const out: ObservedFrame[] = [];
    for (const [cameraId, byseq] of this.frames) {
      const analysed = this.analysed.get(cameraId)!;
      const stored = this.stored.get(cameraId)!;
      for (const frame of byseq.values()) {
        // Marks come in processing order, so the first one at or past this frame is when it was done.
        const a = analysed.find((m) => (m.key as number) >= frame.capturedAtMs);
        const s = stored.find((m) => compareStreamIds(m.key as string, frame.streamId) >= 0);
        out.push({ ...frame, analysedAtMs: a?.atMs ?? null, storedAtMs: s?.atMs ?? null });
      }
    }
    return out;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.polling;
    await this.subscriber.unsubscribe().catch(() => undefined);
  }
}
