// The tracker's output: every live track with its state, box and velocity at one timestamp.
// Lines, zones, speed and alerts all read this one value.
import type { Detections, TrafficClass, TrafficClassId } from '../core/detections.ts';
import type { BoxXyxy } from './geometry.ts';

/**
 * tentative: seen fewer than minHits times, not yet trusted (not counted);
 * confirmed: trusted and seen in this update; lost: trusted but not seen in this update (coasting on
 * its prediction until it is found again or dies).
 */
export type TrackState = 'tentative' | 'confirmed' | 'lost';

export interface Track {
  /** Stable for the track's life, never reused by the tracker that made it. */
  readonly id: number;
  /** Majority vote over the classes of the detections the track matched. */
  readonly classId: TrafficClassId;
  readonly className: TrafficClass;
  /** Filtered xyxy box in source px (predicted when the track was not seen this update). */
  readonly box: BoxXyxy;
  /** Velocity of the box centre. */
  readonly velocityPxPerS: { readonly x: number; readonly y: number };
  /** Score of the last matched detection. */
  readonly score: number;
  /** Updates since birth, this one included. */
  readonly ageUpdates: number;
  readonly hits: number;
  /** Consecutive updates without a matched detection. */
  readonly missedUpdates: number;
  readonly state: TrackState;
  readonly firstSeenMs: number;
  readonly lastSeenMs: number;
  /** Index into this update's detections, -1 when the track was not seen in it. */
  readonly detectionIndex: number;
}

export interface Tracks {
  readonly timestampMs: number;
  /** Every live track (tentative, confirmed and lost), ids ascending. A track absent here has died. */
  readonly tracks: readonly Track[];
  /** The input detections with trackIds filled (-1 where no track took the detection). */
  readonly detections: Detections;
}

/** Seen in this update (its box is a measurement, not a prediction). */
export function isObserved(track: Track): boolean {
  return track.detectionIndex >= 0;
}
