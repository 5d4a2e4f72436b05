// The messages the analyzer publishes on its Redis channels (core/redis.ts redisChannels): live tracks for
// the wall overlay and analytics events (line crossings, zone enter/exit) for alerts. Declared once for every room.
import type { TrafficClass } from './detections.ts';

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
