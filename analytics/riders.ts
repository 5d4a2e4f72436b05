// A person riding a motorbike or bicycle is part of that vehicle, not a pedestrian: the detector puts
// several boxes on one rider (person, the bike when it sees it, at times a "car" around both); this makes them one.
//
// The rules, per frame, before tracking:
//  1. A person whose ground point (bottom-centre) lies inside a two-wheeler's box, slightly widened, is its
//     rider: the two become ONE detection of the two-wheeler's class, with the UNION of their boxes and the
//     higher score. The union, not the bike box, because a rider's bike is often detected in some frames
//     only: in the others the rider's person box is all there is, and the union (head to wheels) shares
//     its top and sides with that box, so the track's box, and its bottom-centre anchor, stay continuous
//     (the bike box alone is the lower half of it); when the bike is seen the anchor is where its wheels
//     meet the road. Two riders on one bike both merge into it.
//  2. A car, bus or truck box that coincides with a rider's box (IoU at or above duplicateIou with the merged
//     rider, or with a person box) is the same two-wheeler read as a vehicle (YOLOX-Nano does this to riders
//     seen from behind): it is dropped, so one rider never makes two tracks in two class groups. A real car
//     has no person box nearly its own size over it.
// The merged score is the higher one: the person's confidence says an object is there, the bike's what it is.
import { Detections, FOUR_WHEELER_CLASS_IDS, TRAFFIC_CLASSES, TWO_WHEELER_CLASS_IDS } from '../core/detections.ts';
import { type BoxXyxy, iou } from './geometry.ts';
import { boxAt } from './trackRecord.ts';

const PERSON = TRAFFIC_CLASSES.indexOf('person');

export interface RiderMergeOptions {
  /** The two-wheeler's box is widened by this fraction of its size on each side. Default 0.1. */
  marginFrac?: number;
  /** A four-wheeler box overlapping a rider's or person's box this much is a duplicate of it. Default 0.5. */
  duplicateIou?: number;
}

interface Merged {
  box: BoxXyxy;
  score: number;
  classId: number;
}

/** Detections with each rider merged into its two-wheeler and four-wheeler duplicates of riders dropped. */
export function mergeRiders(detections: Detections, options: RiderMergeOptions = {}): Detections {
  const marginFrac = options.marginFrac ?? 0.1;
  const duplicateIou = options.duplicateIou ?? 0.5;
  const { classIds } = detections;
  const merged: Array<Merged | null> = [];
  for (let i = 0; i < detections.length; i++)
    merged.push({ box: boxAt(detections, i), score: detections.scores[i]!, classId: classIds[i]! });
  let changed = false;
  for (let p = 0; p < detections.length; p++) {
    if (classIds[p] !== PERSON) continue;
    const bike = riddenBike(detections, p, marginFrac);
    if (bike < 0) continue;
    const into = merged[bike]!;
    const rider = merged[p]!;
    into.box = [
      Math.min(into.box[0], rider.box[0]),
      Math.min(into.box[1], rider.box[1]),
      Math.max(into.box[2], rider.box[2]),
      Math.max(into.box[3], rider.box[3]),
    ];
    into.score = Math.max(into.score, rider.score);
    merged[p] = null;
    changed = true;
  }
  const riderBoxes = merged
    .filter((m): m is Merged => m !== null && m.classId !== PERSON && TWO_WHEELER_CLASS_IDS.has(m.classId))
    .map((m) => m.box);
  const personBoxes = merged.filter((m): m is Merged => m !== null && m.classId === PERSON).map((m) => m.box);
  merged.forEach((m, i) => {
    if (!m || !FOUR_WHEELER_CLASS_IDS.has(m.classId)) return;
    if ([...riderBoxes, ...personBoxes].some((box) => iou(box, m.box) >= duplicateIou)) {
      merged[i] = null;
      changed = true;
    }
  });
  if (!changed) return detections;
  const kept = merged.filter((m): m is Merged => m !== null);
  return new Detections({
    boxes: Float32Array.from(kept.flatMap((m) => m.box)),
    scores: Float32Array.from(kept.map((m) => m.score)),
    classIds: Uint8Array.from(kept.map((m) => m.classId)),
  });
}

/** The two-wheeler whose widened box holds the person's ground point (the most overlapping of several), or -1. */
function riddenBike(detections: Detections, person: number, marginFrac: number): number {
  const personBox = boxAt(detections, person);
  const x = (personBox[0] + personBox[2]) / 2;
  const y = personBox[3];
  let best = -1;
  let bestOverlap = -1;
  for (let b = 0; b < detections.length; b++) {
    if (!TWO_WHEELER_CLASS_IDS.has(detections.classIds[b]!)) continue;
    const [x1, y1, x2, y2] = boxAt(detections, b);
    const mx = (x2 - x1) * marginFrac;
    const my = (y2 - y1) * marginFrac;
    if (x < x1 - mx || x > x2 + mx || y < y1 - my || y > y2 + my) continue;
    const overlap = iou(personBox, [x1, y1, x2, y2]);
    if (overlap > bestOverlap) {
      best = b;
      bestOverlap = overlap;
    }
  }
  return best;
}
