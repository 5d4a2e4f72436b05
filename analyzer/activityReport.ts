// Publishes what a camera's analysis saw lately (frame size, newest frame, newest frame with a detection)
// where the camera's health reads it: one Redis hash field per camera, written with the checkpoint.
import type { Redis } from 'ioredis';
import type { AnalysisActivity } from '../core/analysisStatus.ts';
import { redisKeys } from '../core/redis.ts';

/** A capture gap longer than this (camera away, analyzer down) starts a new run: minutes without detections restart. */
export const ACTIVITY_RUN_GAP_MS = 120_000;

export class ActivityReport {
  private activity: AnalysisActivity | null = null;
  private lastWritten: string | null = null;
  private restored = false;

  constructor(
    private readonly redis: Redis,
    private readonly redisPrefix: string,
    private readonly cameraId: string,
  ) {}

  /** Called per analysed frame: cheap, no I/O. */
  onFrame(capturedAtMs: number, frameWidthPx: number, frameHeightPx: number, detectionCount: number): void {
    const previous = this.activity;
    const newRun = previous === null || capturedAtMs - previous.lastFrameAtMs > ACTIVITY_RUN_GAP_MS;
    const lastFrameAtMs = previous === null ? capturedAtMs : Math.max(previous.lastFrameAtMs, capturedAtMs);
    this.activity = {
      frameWidthPx,
      frameHeightPx,
      runStartedAtMs: newRun ? capturedAtMs : previous.runStartedAtMs,
      lastFrameAtMs,
      lastDetectionAtMs:
        detectionCount > 0
          ? Math.max(capturedAtMs, previous?.lastDetectionAtMs ?? -Infinity)
          : (previous?.lastDetectionAtMs ?? null),
    };
  }

  /** Writes the activity if it changed since the last write; a failure is retried next time. */
  async publish(): Promise<void> {
    if (this.activity === null) return;
    if (!this.restored) await this.restore();
    const json = JSON.stringify(this.activity);
    if (json === this.lastWritten) return;
    await this.redis.hset(redisKeys.analysisActivity(this.redisPrefix), this.cameraId, json);
    this.lastWritten = json;
  }

  /**
   * A takeover (another analyzer held the camera) continues the published run instead of starting its
   * minutes without detections from zero, when the run is still going (no long gap).
   */
  private async restore(): Promise<void> {
    const json = await this.redis.hget(redisKeys.analysisActivity(this.redisPrefix), this.cameraId);
    this.restored = true;
    if (json === null || this.activity === null) return;
    let stored: AnalysisActivity;
    try {
      stored = JSON.parse(json) as AnalysisActivity;
    } catch {
      return;
    }
    const mine = this.activity;
    if (typeof stored.runStartedAtMs !== 'number' || typeof stored.lastFrameAtMs !== 'number') return;
    if (mine.runStartedAtMs - stored.lastFrameAtMs > ACTIVITY_RUN_GAP_MS) return;
    this.activity = {
      ...mine,
      runStartedAtMs: Math.min(mine.runStartedAtMs, stored.runStartedAtMs),
      lastDetectionAtMs: maxOrNull(mine.lastDetectionAtMs, stored.lastDetectionAtMs),
    };
  }
}

function maxOrNull(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}
