import { describe, expect, it } from 'vitest';
import { CandidateList } from '../../../inference/candidates.ts';
import { nonMaxSuppression } from '../../../inference/nms.ts';

describe('nonMaxSuppression', () => {
  it('keeps the best of overlapping boxes of one class', () => {
    const list = new CandidateList();
    list.push(0, 0, 100, 100, 0.6, 2);
    list.push(5, 5, 105, 105, 0.9, 2);
    list.push(300, 300, 350, 350, 0.5, 2);
    expect(nonMaxSuppression(list, { iouThreshold: 0.45 })).toEqual([1, 2]);
  });

  it('never suppresses across classes (a rider over a motorbike)', () => {
    const list = new CandidateList();
    list.push(0, 0, 100, 100, 0.9, 0);
    list.push(2, 2, 100, 100, 0.8, 3);
    expect(nonMaxSuppression(list, { iouThreshold: 0.45 })).toEqual([0, 1]);
  });

  it('merges a box cut by a tile border into the whole box from another region', () => {
    const list = new CandidateList();
    list.push(100, 100, 200, 200, 0.7, 3, 0); // whole object, region 0
    list.push(160, 100, 205, 200, 0.8, 3, 1); // partial and a little wider, region 1
    const kept = nonMaxSuppression(list, { iouThreshold: 0.45, mergeIosThreshold: 0.7 });
    expect(kept).toEqual([1]);
    expect(Array.from(list.boxes.subarray(4, 8))).toEqual([100, 100, 205, 200]);
  });

  it('keeps two neighbours of one region that only partly overlap', () => {
    const list = new CandidateList();
    list.push(100, 100, 200, 200, 0.7, 3, 0);
    list.push(160, 100, 205, 200, 0.8, 3, 0);
    expect(nonMaxSuppression(list, { iouThreshold: 0.45, mergeIosThreshold: 0.7 })).toEqual([1, 0]);
  });
});
