// Hand-built tracker output for testing lines and zones without a tracker in between.
import { Detections, TRAFFIC_CLASSES, type TrafficClass } from '../../core/detections.ts';
import type { Track, Tracks, TrackState } from '../../analytics/tracks.ts';

export interface TrackSpec {
  id: number;
  /** Bottom-centre of the box. */
  x: number;
  y: number;
  className?: TrafficClass;
  widthPx?: number;
  heightPx?: number;
  state?: TrackState;
  /** Sightings so far; default 10 (an established track). */
  hits?: number;
}

export function tracksAt(timestampMs: number, specs: TrackSpec[]): Tracks {
  const tracks: Track[] = specs.map((s, i) => {
    const w = s.widthPx ?? 34;
    const h = s.heightPx ?? 44;
    const className = s.className ?? 'motorbike';
    const state = s.state ?? 'confirmed';
    return {
      id: s.id,
      classId: TRAFFIC_CLASSES.indexOf(className),
      className,
      box: [s.x - w / 2, s.y - h, s.x + w / 2, s.y],
      velocityPxPerS: { x: 0, y: 0 },
      score: 0.9,
      ageUpdates: 1,
      hits: s.hits ?? 10,
      missedUpdates: state === 'lost' ? 1 : 0,
      state,
      firstSeenMs: timestampMs,
      lastSeenMs: timestampMs,
      detectionIndex: state === 'lost' ? -1 : i,
    };
  });
  return { timestampMs, tracks, detections: Detections.empty() };
}

// A road seen in perspective: a trapezoid in the image is a 10 m × 40 m rectangle on the ground.
export const ROAD_CALIBRATION = {
  imagePoints: [
    { x: 540, y: 200 },
    { x: 740, y: 200 },
    { x: 1180, y: 700 },
    { x: 100, y: 700 },
  ],
  groundPoints: [
    { x: 0, y: 40 },
    { x: 10, y: 40 },
    { x: 10, y: 0 },
    { x: 0, y: 0 },
  ],
} as const;
