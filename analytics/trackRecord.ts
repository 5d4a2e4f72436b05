// The tracker's private state of one track, and the box helpers the tracker and its association cost
// share. Plain data (no methods) so an owner can snapshot and restore a tracker exactly.
import type { Detections, TrafficClassId } from '../core/detections.ts';
import type { BoxXyxy } from './geometry.ts';
import type { KalmanBoxFilter } from './kalmanBoxFilter.ts';

export interface TrackRecord {
  id: number;
  filter: KalmanBoxFilter;
  /**
   * Until its second sighting, a track born with a flow prior also keeps the hypothesis without it, so
   * a vehicle going against the usual flow (a U-turn, a wrong-way rider) still associates.
   */
  priorFreeFilter: KalmanBoxFilter | null;
  /** Matched detections per class id, for the majority vote. */
  votes: Uint32Array;
  classId: TrafficClassId;
  score: number;
  ageUpdates: number;
  hits: number;
  missedUpdates: number;
  confirmed: boolean;
  firstSeenMs: number;
  lastSeenMs: number;
  /** Centre of the first detection, px: with heightSumPx, how fast the track has moved over its life. */
  firstSeenCentre: { x: number; y: number };
  /** Sum of the matched detections' box heights, px (their mean is the track's size for its speed). */
  heightSumPx: number;
  /** Four-wheeler sightings no wider than two two-wheelers at their row (analytics/twoWheelerWidth.ts). */
  narrowHits: number;
  /** Once true, stays: the track has moved at vehicle speed (a rider, even when only the person is seen). */
  movedLikeVehicle: boolean;
  /** Centre of the filtered box at the last sighting, px. */
  lastSeenCentre: { x: number; y: number };
  lastPredictedMs: number;
  /** Index into the current update's detections, -1 when not seen in it. */
  detectionIndex: number;
  /** Centres of the first sightings, taught to the flow prior once the velocity is established. */
  earlyCentres: Array<{ x: number; y: number }>;
}

/** Sightings after which a track's velocity is trusted (to teach the flow prior, to forbid reversing). */
export const ESTABLISHED_HITS = 3;

export function boxAt(detections: Detections, index: number): BoxXyxy {
  const b = detections.boxes;
  return [b[index * 4]!, b[index * 4 + 1]!, b[index * 4 + 2]!, b[index * 4 + 3]!];
}

export function centreOf(box: BoxXyxy): { x: number; y: number } {
  return { x: (box[0] + box[2]) / 2, y: (box[1] + box[3]) / 2 };
}

export function boxArea(box: BoxXyxy): number {
  return Math.max(0, box[2] - box[0]) * Math.max(0, box[3] - box[1]);
}
