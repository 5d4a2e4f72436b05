// Evidence for a newly raised alert, made in the background so a slow disk never holds up analysis: the
// snapshot (its own analysed frame, kept briefly in Redis by the worker, with the boxes and the zone or
// line drawn) and the clip (HLS segments around the trigger, hard-linked out of the live window).
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type { Alert, AlertEvidence } from '../core/alerts.ts';
import type { CameraAnalysis } from '../core/cameraAnalysis.ts';
import type { PointPx } from '../core/geometry.ts';
import type { Logger } from '../core/logger.ts';
import { scaleCameraAnalysis } from '../analytics/scaleAnalysis.ts';
import { renderSnapshot } from '../alerts/snapshotRenderer.ts';
import { keepClip } from '../alerts/clipKeeper.ts';
import type { AlertStore } from '../store/alerts.ts';
import { redisKeys } from '../core/redis.ts';

export interface AlertEvidenceDeps {
  redis: Redis;
  redisPrefix: string;
  store: AlertStore;
  /** Parent of the cameras' live HLS folders, and of the kept clips. */
  hlsRoot: string;
  evidenceRoot: string;
  clipBeforeMs: number;
  clipAfterMs: number;
  segmentSeconds: number;
  logger: Logger;
  /** Announces that an alert changed (snapshot or clip ready) to consoles. */
  announce(alertId: string): void;
}

/** Clips followed at once; more wait their turn (each polls a playlist for ~20 s). */
const MAX_CLIPS_IN_FLIGHT = 8;

export class AlertEvidenceMaker {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly queued: Array<() => Promise<void>> = [];
  private clipsRunning = 0;
  private closed = false;
  /** Aborted on close: clips under way are written with the segments they have. */
  private readonly closing = new AbortController();

  constructor(private readonly deps: AlertEvidenceDeps) {}

  /** Starts making the evidence of an alert just stored; returns at once. */
  onRaised(alert: Alert, evidence: AlertEvidence, analysis: CameraAnalysis): void {
    if (this.closed) return;
    this.track(this.snapshot(alert, evidence, analysis));
    this.queued.push(() => this.clip(alert, evidence));
    this.pump();
  }

  /** Waits for the evidence under way (clips stop at once with what they have). Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    this.queued.length = 0;
    this.closing.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  private async snapshot(alert: Alert, evidence: AlertEvidence, analysis: CameraAnalysis): Promise<void> {
    if (evidence.seq === null) return;
    const { redis, redisPrefix, store, logger } = this.deps;
    try {
      const jpeg = await redis.getBuffer(redisKeys.frame(redisPrefix, alert.cameraId, evidence.seq));
      if (!jpeg) {
        logger.warn({ alertId: alert.id, seq: evidence.seq }, 'alert frame no longer kept; no snapshot');
        return;
      }
      const image = await renderSnapshot(jpeg, evidence, geometryOf(analysis, evidence));
      await store.putSnapshot(alert.id, image, evidence.capturedAtMs);
      this.deps.announce(alert.id);
    } catch (err) {
      logger.warn({ err, alertId: alert.id }, 'alert snapshot not made');
    }
  }

  private async clip(alert: Alert, evidence: AlertEvidence): Promise<void> {
    const { store, logger, clipBeforeMs, clipAfterMs, segmentSeconds } = this.deps;
    const triggerMs = evidence.capturedAtMs;
    try {
      const result = await keepClip({
        hlsDir: join(this.deps.hlsRoot, alert.cameraId),
        evidenceDir: join(this.deps.evidenceRoot, alert.id),
        fromMs: triggerMs - clipBeforeMs,
        toMs: triggerMs + clipAfterMs,
        pollMs: 1000,
        // The segment holding T+after is finished about a segment later; allow for ingest's own lag too.
        deadlineMs: Date.now() + clipAfterMs + 3 * segmentSeconds * 1000 + 5000,
        signal: this.closing.signal,
      });
      await store.setClipState(alert.id, result.state);
      this.deps.announce(alert.id);
    } catch (err) {
      logger.warn({ err, alertId: alert.id }, 'alert clip not kept');
      await store.setClipState(alert.id, 'unavailable').catch(() => undefined);
    }
  }

  private pump(): void {
    while (this.clipsRunning < MAX_CLIPS_IN_FLIGHT && this.queued.length > 0) {
      const next = this.queued.shift()!;
      this.clipsRunning += 1;
      this.track(
        next().finally(() => {
          this.clipsRunning -= 1;
          this.pump();
        }),
      );
    }
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }
}

/** The alert's zone or line in px of the analysed frame the evidence boxes are in. */
function geometryOf(
  analysis: CameraAnalysis,
  evidence: AlertEvidence,
): { zone: PointPx[] | null; line: PointPx[] | null } {
  if (analysis.widthPx <= 0 || analysis.heightPx <= 0) return { zone: null, line: null };
  const scaled = scaleCameraAnalysis(analysis, { widthPx: evidence.frameWidthPx, heightPx: evidence.frameHeightPx });
  const zone = evidence.zoneId ? (scaled.zones.find((z) => z.id === evidence.zoneId)?.polygon ?? null) : null;
  const line = evidence.lineId ? (scaled.lines.find((l) => l.id === evidence.lineId)?.points ?? null) : null;
  return { zone, line };
}
