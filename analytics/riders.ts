// A person riding a motorbike or bicycle is part of that vehicle, not a pedestrian: counting both would
// count each rider twice on Vietnamese streets. The rule: a person whose ground point (bottom-centre)
// lies inside a two-wheeler's box, slightly widened, is a rider and is dropped before tracking.
import { Detections, TRAFFIC_CLASSES } from '../core/detections.ts';

const PERSON = TRAFFIC_CLASSES.indexOf('person');
const TWO_WHEELERS = new Set([TRAFFIC_CLASSES.indexOf('motorbike'), TRAFFIC_CLASSES.indexOf('bicycle')]);

export interface RiderFilterOptions {
  /** The two-wheeler's box is widened by this fraction of its size on each side. Default 0.1. */
  marginFrac?: number;
}

export function withoutRiders(detections: Detections, options: RiderFilterOptions = {}): Detections {
  const margin = options.marginFrac ?? 0.1;
  const { boxes, classIds } = detections;
  const bikes: number[] = [];
  for (let i = 0; i < detections.length; i++) if (TWO_WHEELERS.has(classIds[i]!)) bikes.push(i);
  if (bikes.length === 0) return detections;
  const keep: number[] = [];
  for (let i = 0; i < detections.length; i++) {
    if (classIds[i] !== PERSON || !bikes.some((b) => groundPointInside(boxes, i, b, margin))) keep.push(i);
  }
  if (keep.length === detections.length) return detections;
  return new Detections({
    boxes: Float32Array.from(keep.flatMap((i) => [boxes[i * 4]!, boxes[i * 4 + 1]!, boxes[i * 4 + 2]!, boxes[i * 4 + 3]!])),
    scores: Float32Array.from(keep.map((i) => detections.scores[i]!)),
    classIds: Uint8Array.from(keep.map((i) => classIds[i]!)),
    trackIds: Int32Array.from(keep.map((i) => detections.trackIds[i]!)),
  });
}

function groundPointInside(boxes: Float32Array, person: number, bike: number, marginFrac: number): boolean {
  const x = (boxes[person * 4]! + boxes[person * 4 + 2]!) / 2;
  const y = boxes[person * 4 + 3]!;
  const [x1, y1, x2, y2] = [boxes[bike * 4]!, boxes[bike * 4 + 1]!, boxes[bike * 4 + 2]!, boxes[bike * 4 + 3]!];
  const mx = (x2 - x1) * marginFrac;
  const my = (y2 - y1) * marginFrac;
  return x >= x1 - mx && x <= x2 + mx && y >= y1 - my && y <= y2 + my;
}
