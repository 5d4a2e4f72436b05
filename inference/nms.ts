// Class-aware non-maximum suppression, with the cross-region merge of sliced inference (SAHI):
// a box of one region mostly inside a same-class box of another region is the same object cut by a border.
import type { CandidateList } from './candidates.ts';
import { boxArea, intersectionArea } from './geometry.ts';

export interface NmsOptions {
  /** Same class, overlap (intersection over union) above this: the lower score is suppressed. */
  iouThreshold: number;
  /** Same class, different regions, intersection over the smaller box above this: merged into their union. */
  mergeIosThreshold?: number;
  /** At most this many boxes are considered, highest scores first. */
  maxCandidates?: number;
}

/** Indices of the kept candidates, highest score first; merged boxes are widened in place. */
export function nonMaxSuppression(list: CandidateList, options: NmsOptions): number[] {
  const { iouThreshold, mergeIosThreshold = Infinity, maxCandidates = 3000 } = options;
  const { scores } = list;
  // A comparator returning -1/0/1 (small integers), not a float difference: no heap number per comparison.
  const order = Array.from({ length: list.count }, (_, i) => i).sort((a, b) =>
    scores[b]! > scores[a]! ? 1 : scores[b]! < scores[a]! ? -1 : 0,
  );
  if (order.length > maxCandidates) order.length = maxCandidates;
  const suppressed = new Uint8Array(list.count);
  const kept: number[] = [];
  const { boxes, classIds, sourceIds } = list;
  for (let a = 0; a < order.length; a++) {
    const i = order[a]!;
    if (suppressed[i]) continue;
    kept.push(i);
    for (let b = a + 1; b < order.length; b++) {
      const j = order[b]!;
      if (suppressed[j] || classIds[j] !== classIds[i]) continue;
      const inter = intersectionArea(boxes, i, j);
      if (inter === 0) continue;
      const areaI = boxArea(boxes, i);
      const areaJ = boxArea(boxes, j);
      if (inter / (areaI + areaJ - inter) > iouThreshold) {
        suppressed[j] = 1;
      } else if (sourceIds[i] !== sourceIds[j] && inter / Math.min(areaI, areaJ) > mergeIosThreshold) {
        suppressed[j] = 1;
        widenToUnion(boxes, i, j);
      }
    }
  }
  return kept;
}

function widenToUnion(boxes: Float32Array, keep: number, absorbed: number): void {
  boxes[keep * 4] = Math.min(boxes[keep * 4]!, boxes[absorbed * 4]!);
  boxes[keep * 4 + 1] = Math.min(boxes[keep * 4 + 1]!, boxes[absorbed * 4 + 1]!);
  boxes[keep * 4 + 2] = Math.max(boxes[keep * 4 + 2]!, boxes[absorbed * 4 + 2]!);
  boxes[keep * 4 + 3] = Math.max(boxes[keep * 4 + 3]!, boxes[absorbed * 4 + 3]!);
}
