// What a track is, from the classes of the detections it matched and how it moved: the class every
// consumer (line counts, zones, alerts) reads. Riders make the plain majority vote wrong on motorbike streets.
//
// The rule:
//  1. Four-wheelers (car, bus, truck) against road users on foot or on two wheels (person, bicycle,
//     motorbike): the side with more votes decides the kind. A four-wheeler track's class is the majority
//     of its four-wheeler votes.
//  2. On the other side a person's detection on a track that also had two-wheeler detections is the rider
//     of that two-wheeler (the bike is missed in some frames, not the rider): the track is a two-wheeler
//     when its two-wheeler votes are at least minTwoWheelerShare of them, or when it moved like a vehicle
//     (a rider whose bike is never detected is still no pedestrian); else it is a person.
//  3. A two-wheeler is a bicycle when bicycle votes outnumber motorbike votes, else a motorbike (the
//     usual two-wheeler where a rider's bike was never seen at all).
// On a tie the class the track already has stays, so labels do not flicker.
import { FOUR_WHEELER_CLASS_IDS, TRAFFIC_CLASSES, type TrafficClassId } from '../core/detections.ts';

const PERSON = TRAFFIC_CLASSES.indexOf('person');
const BICYCLE = TRAFFIC_CLASSES.indexOf('bicycle');
const MOTORBIKE = TRAFFIC_CLASSES.indexOf('motorbike');
const FOUR_WHEELERS = [...FOUR_WHEELER_CLASS_IDS];

export interface TrackClassOptions {
  /** Share of a person-or-two-wheeler track's votes that makes it a two-wheeler (its rider is the rest). Default 0.25. */
  minTwoWheelerShare?: number;
}

/** The class of a track with these votes (matched detections per class id). */
export function decideTrackClass(
  votes: Uint32Array,
  currentClassId: TrafficClassId,
  movedLikeVehicle: boolean,
  options: TrackClassOptions = {},
): TrafficClassId {
  const minShare = options.minTwoWheelerShare ?? 0.25;
  const person = votes[PERSON]!;
  const bicycle = votes[BICYCLE]!;
  const motorbike = votes[MOTORBIKE]!;
  const fourWheeled = FOUR_WHEELERS.reduce((sum, id) => sum + votes[id]!, 0);
  const small = person + bicycle + motorbike;
  const currentIsFourWheeled = FOUR_WHEELERS.includes(currentClassId);
  if (fourWheeled > small || (fourWheeled === small && currentIsFourWheeled && fourWheeled > 0)) {
    return majority(votes, FOUR_WHEELERS, currentClassId);
  }
  const twoWheeled = bicycle + motorbike;
  if (!movedLikeVehicle && twoWheeled < minShare * small) return PERSON;
  if (bicycle === motorbike) return currentClassId === BICYCLE ? BICYCLE : MOTORBIKE;
  return bicycle > motorbike ? BICYCLE : MOTORBIKE;
}

function majority(votes: Uint32Array, classIds: readonly number[], currentClassId: TrafficClassId): TrafficClassId {
  let best = classIds.includes(currentClassId) ? currentClassId : classIds[0]!;
  for (const id of classIds) if (votes[id]! > votes[best]!) best = id;
  return best;
}
