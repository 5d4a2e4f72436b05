// Redis pub/sub channels the analyzer publishes on, and the messages they carry: live tracks for the wall
// overlay and analytics events (line crossings, zone enter/exit) for alerts. Declared once for every room.
import type { TrafficClass } from './detections.ts';

/** Latest tracks of one camera, throttled (at most one message per analyzer.liveIntervalMs). */
export function liveTracksChannel(redisPrefix: string, cameraId: string): string {
  return `${redisPrefix}:live:${cameraId}`;
}

/** Line crossings and zone enter/exit events of one camera, every one of them. */
export function analyticsEventsChannel(redisPrefix: string, cameraId: string): string {
  return `${redisPrefix}:events:${cameraId}`;
}

/** Pattern matching every camera's events channel (PSUBSCRIBE). */
export function analyticsEventsPattern(redisPrefix: string): string {
  return `${redisPrefix}:events:*`;
}

export interface LiveTrack {
  id: number;
  className: TrafficClass;
  /** xyxy in pixels of the analysed frame (frameWidthPx × frameHeightPx), one decimal. */
  box: [number, number, number, number];
  state: 'confirmed' | 'lost';
  speedKmh: number | null;
}

export interface LiveTracksMessage {
  type: 'tracks';
  cameraId: string;
  capturedAtMs: number;
  frameWidthPx: number;
  frameHeightPx: number;
  tracks: LiveTrack[];
}

export interface LineCrossingEvent {
  type: 'lineCrossing';
  /**
   * Stable across re-deliveries: an analyzer that takes a camera over replays from its last checkpoint and
   * may publish an event its predecessor already published; consumers de-duplicate on this id.
   */
  eventId: string;
  cameraId: string;
  lineId: string;
  trackId: number;
  className: TrafficClass;
  direction: string;
  timestampMs: number;
  speedKmh: number | null;
}

export interface ZoneEventMessage {
  type: 'zoneEnter' | 'zoneExit';
  eventId: string;
  cameraId: string;
  zoneId: string;
  trackId: number;
  className: TrafficClass;
  timestampMs: number;
  dwellMs: number;
}

export type AnalyticsEvent = LineCrossingEvent | ZoneEventMessage;
