// Publishes what the wall and alerts want from a camera's analysis: its latest tracks (throttled, small
// JSON) and every line crossing and zone enter/exit. Pub/sub is fire-and-forget: a failed publish is logged.
import type { Redis } from 'ioredis';
import type { FrameSizePx } from '../core/geometry.ts';
import type { Logger } from '../core/logger.ts';
import type { AnalyticsEvent, LiveTrack, LiveTracksMessage } from '../core/liveChannels.ts';
import type { PipelineOutput } from '../analytics/cameraPipeline.ts';
import { redisChannels } from '../core/redis.ts';

const round1 = (v: number) => Math.round(v * 10) / 10;

export function liveTracksMessage(cameraId: string, frame: FrameSizePx, output: PipelineOutput): LiveTracksMessage {
  const speeds = new Map(output.speeds.map((s) => [s.trackId, s.speedKmh]));
  const tracks: LiveTrack[] = [];
  for (const track of output.tracks.tracks) {
    if (track.state === 'tentative') continue;
    const speedKmh = speeds.get(track.id) ?? null;
    tracks.push({
      id: track.id,
      className: track.className,
      box: [round1(track.box[0]), round1(track.box[1]), round1(track.box[2]), round1(track.box[3])],
      state: track.state,
      speedKmh: speedKmh === null ? null : round1(speedKmh),
    });
  }
  return {
    type: 'tracks',
    cameraId,
    capturedAtMs: output.timestampMs,
    frameWidthPx: frame.widthPx,
    frameHeightPx: frame.heightPx,
    tracks,
  };
}

export function analyticsEvents(cameraId: string, output: PipelineOutput): AnalyticsEvent[] {
  const events: AnalyticsEvent[] = output.crossings.map((c) => ({
    type: 'lineCrossing',
    eventId: `${cameraId}:line:${c.lineId}:${c.trackId}:${c.timestampMs}`,
    cameraId,
    lineId: c.lineId,
    trackId: c.trackId,
    className: c.className,
    direction: c.direction,
    timestampMs: c.timestampMs,
    speedKmh: c.speedKmh,
  }));
  for (const update of output.zoneUpdates) {
    for (const e of update.events) {
      events.push({
        type: e.kind === 'enter' ? 'zoneEnter' : 'zoneExit',
        eventId: `${cameraId}:zone:${e.zoneId}:${e.kind}:${e.trackId}:${e.timestampMs}`,
        cameraId,
        zoneId: e.zoneId,
        trackId: e.trackId,
        className: e.className,
        timestampMs: e.timestampMs,
        dwellMs: e.dwellMs,
      });
    }
  }
  return events;
}

export class LivePublisher {
  private lastTracksAtMs = -Infinity;

  constructor(
    private readonly redis: Redis,
    private readonly redisPrefix: string,
    private readonly cameraId: string,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  /** Events of every frame; tracks only of the newest frame of a batch, and at most once per interval. */
  publish(outputs: readonly PipelineOutput[], frame: FrameSizePx, nowMs: number): void {
    if (outputs.length === 0) return;
    const batch = this.redis.pipeline();
    const eventsChannel = redisChannels.analyticsEvents(this.redisPrefix, this.cameraId);
    for (const output of outputs)
      for (const event of analyticsEvents(this.cameraId, output)) batch.publish(eventsChannel, JSON.stringify(event));
    if (nowMs - this.lastTracksAtMs >= this.intervalMs) {
      this.lastTracksAtMs = nowMs;
      const message = liveTracksMessage(this.cameraId, frame, outputs[outputs.length - 1]!);
      batch.publish(redisChannels.liveTracks(this.redisPrefix, this.cameraId), JSON.stringify(message));
    }
    if (batch.length === 0) return;
    batch.exec().catch((err: unknown) => this.logger.warn({ err, cameraId: this.cameraId }, 'live publish failed'));
  }
}
