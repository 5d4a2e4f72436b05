// What it costs for a track to take a detection: IoU with the predicted box first, else the centre
// distance in box scales inside a gate that widens with uncertainty; forbidden pairs never match.
import { FORBIDDEN_COST } from './assignment.ts';
import { type BoxXyxy, iou } from './geometry.ts';
import type { KalmanBoxFilter } from './kalmanBoxFilter.ts';
import { ESTABLISHED_HITS, type TrackRecord, boxArea, centreOf } from './trackRecord.ts';

export interface AssociationGates {
  matchIou: number;
  gateStds: number;
  maxSpeedScalesPerS: number;
  maxScaleRatio: number;
  classMismatchCost: number;
  /** classGroupOf[classId] = its confusion group; pairs across groups are forbidden. */
  classGroupOf: Int32Array;
}

/** Centre distances beyond this many box scales all cost the same (the gate decides whether they may). */
const COST_SPAN_SCALES = 20;

/** How far behind its last sighting (box scales) a coasting track may still find its object. */
const BACKWARD_TOLERANCE_SCALES = 0.5;

/** Sideways drift (box scales) an established track may show at once, and per second unseen: lane changes. */
const LATERAL_TOLERANCE_SCALES = 1;
const LATERAL_SCALES_PER_S = 1;

export interface Candidate {
  box: BoxXyxy;
  classId: number;
  timestampMs: number;
  /** A low-score box, which may only extend a track it overlaps (ByteTrack's second association). */
  lowScore?: boolean;
}

/**
 * Overlap pairs cost [0, 1), centre-gated pairs [1, 2) growing with the distance in box scales, so the
 * nearest plausible pair wins whatever each track's uncertainty; a newborn with a flow prior is priced
 * under both its hypotheses (with and without the flow) and takes the cheaper.
 */
export function pairCost(
  gates: AssociationGates,
  record: TrackRecord,
  candidate: Candidate,
  overlapOnly: boolean,
): number {
  const cost = filterCost(gates, record.filter, record, candidate, overlapOnly);
  if (!record.priorFreeFilter) return cost;
  return Math.min(cost, filterCost(gates, record.priorFreeFilter, record, candidate, overlapOnly));
}

/** The cost under one motion hypothesis (the track's filter or its prior-free twin). */
export function filterCost(
  gates: AssociationGates,
  filter: KalmanBoxFilter,
  record: TrackRecord,
  { box, classId, timestampMs, lowScore }: Candidate,
  overlapOnly: boolean,
): number {
  const predicted = filter.box();
  const scaleRatio = Math.sqrt(boxArea(box) / Math.max(1, boxArea(predicted)));
  if (scaleRatio > gates.maxScaleRatio || scaleRatio < 1 / gates.maxScaleRatio) return FORBIDDEN_COST;
  if (gates.classGroupOf[classId] !== gates.classGroupOf[record.classId]) return FORBIDDEN_COST;
  const classCost = classId === record.classId ? 0 : gates.classMismatchCost;
  const overlap = iou(predicted, box);
  if (overlap >= gates.matchIou) return 1 - overlap + classCost;
  // Distances in the smaller box's scale: a bus-sized track coasting past a car must not reach the car's
  // detection through a gate sized by its own bulk (at 2 fps that swap counted both vehicles twice).
  const scalePx = Math.min(Math.sqrt(boxArea(box)), filter.scalePx());
  if (overlapOnly) {
    return lowScore && overshootsPrediction(record, filter, box, scalePx, timestampMs, overlap, gates.matchIou)
      ? 1 - overlap + classCost
      : FORBIDDEN_COST;
  }
  if (goesBackwards(record, box, scalePx, BACKWARD_TOLERANCE_SCALES)) return FORBIDDEN_COST;
  if (leavesItsLane(record, filter, box, scalePx, timestampMs)) return FORBIDDEN_COST;
  const centre = centreOf(box);
  const predictedCentre = centreOf(predicted);
  const distanceScales = Math.hypot(centre.x - predictedCentre.x, centre.y - predictedCentre.y) / scalePx;
  const unseenS = (timestampMs - record.lastSeenMs) / 1000;
  const gateScales = Math.min(
    (gates.gateStds * filter.centreInnovationStdPx()) / scalePx,
    0.5 + gates.maxSpeedScalesPerS * unseenS,
  );
  if (distanceScales > gateScales) return FORBIDDEN_COST;
  return 1 + (Math.min(distanceScales, COST_SPAN_SCALES) / COST_SPAN_SCALES) * 0.999 + classCost;
}

/**
 * A vehicle coming towards the camera speeds up in the picture (perspective): a constant-velocity prediction falls
 * behind it, and its low-score box (glare, blur) overlaps that prediction less than a match needs. A track seen in
 * the previous frame may take such a box where it still overlaps the prediction by half the match threshold, lies
 * further along the track's own motion than the prediction, and stays in its lane (nl_motorway lost a car so,
 * counted by no track: IoU 0.186 against 0.2).
 */
function overshootsPrediction(
  record: TrackRecord,
  filter: KalmanBoxFilter,
  box: BoxXyxy,
  scalePx: number,
  timestampMs: number,
  overlap: number,
  matchIou: number,
): boolean {
  if (record.missedUpdates > 0 || record.hits < ESTABLISHED_HITS || overlap < matchIou / 2) return false;
  const offset = offsetFromPrediction(filter, box, scalePx);
  return offset !== null && offset.alongPx > 0 && !leavesItsLane(record, filter, box, scalePx, timestampMs);
}

/**
 * Where a box's centre lies from the track's predicted centre, along its motion and sideways of it; null for a
 * track nearly standing (its direction is noise).
 */
function offsetFromPrediction(
  filter: KalmanBoxFilter,
  box: BoxXyxy,
  scalePx: number,
): { alongPx: number; sidewaysPx: number } | null {
  const vx = filter.mean[4]!;
  const vy = filter.mean[5]!;
  const speed = Math.hypot(vx, vy);
  if (speed < 0.3 * scalePx) return null;
  const predicted = centreOf(filter.box());
  const centre = centreOf(box);
  const [dx, dy] = [centre.x - predicted.x, centre.y - predicted.y];
  return { alongPx: (dx * vx + dy * vy) / speed, sidewaysPx: Math.abs(dx * vy - dy * vx) / speed };
}

/**
 * Road users do not reverse between two sightings: an established track may not take a detection lying
 * behind where it was last seen (typically the next vehicle in its lane). Not only after a miss: a frame
 * that never arrived (dropped by backpressure) leaves a gap without any miss being counted.
 */
export function goesBackwards(record: TrackRecord, box: BoxXyxy, scalePx: number, toleranceScales: number): boolean {
  if (record.hits < ESTABLISHED_HITS) return false;
  const vx = record.filter.mean[4]!;
  const vy = record.filter.mean[5]!;
  const speed = Math.hypot(vx, vy);
  if (speed < 0.3 * scalePx) return false; // nearly standing: its direction is noise
  const centre = centreOf(box);
  const along = ((centre.x - record.lastSeenCentre.x) * vx + (centre.y - record.lastSeenCentre.y) * vy) / speed;
  return along < -toleranceScales * scalePx;
}

/**
 * Road users keep roughly to their lane between sightings: an established, moving track may not take a
 * detection lying further sideways of its predicted path than a lane change allows (at 2 fps with a frame
 * missing, a truck's track otherwise jumped to a car in the opposite lane and counted it again).
 */
function leavesItsLane(
  record: TrackRecord,
  filter: KalmanBoxFilter,
  box: BoxXyxy,
  scalePx: number,
  timestampMs: number,
): boolean {
  if (record.hits < ESTABLISHED_HITS) return false;
  const offset = offsetFromPrediction(filter, box, scalePx);
  if (offset === null) return false;
  const unseenS = (timestampMs - record.lastSeenMs) / 1000;
  return offset.sidewaysPx > (LATERAL_TOLERANCE_SCALES + LATERAL_SCALES_PER_S * unseenS) * scalePx;
}
