import { describe, expect, it } from 'vitest';
import { Detections, TRAFFIC_CLASSES } from '../../../core/detections.ts';
import { withoutRiders } from '../../../analytics/riders.ts';

const id = (name: (typeof TRAFFIC_CLASSES)[number]) => TRAFFIC_CLASSES.indexOf(name);

function detections(items: Array<[string, number, number, number, number]>): Detections {
  return new Detections({
    boxes: Float32Array.from(items.flatMap(([, ...box]) => box)),
    scores: Float32Array.from(items.map(() => 0.8)),
    classIds: Uint8Array.from(items.map(([name]) => id(name as never))),
  });
}

describe('rider suppression', () => {
  it('drops a person standing in a motorbike box (seen from behind) and keeps the motorbike', () => {
    // Rear view: the rider's box covers the upper part of the bike, his feet inside it.
    const out = withoutRiders(detections([['motorbike', 100, 140, 140, 220], ['person', 98, 100, 142, 190]]));
    expect(Array.from(out.classIds)).toEqual([id('motorbike')]);
  });

  it('keeps a pedestrian walking beside a motorbike and persons when no two-wheeler is seen', () => {
    const beside = detections([['motorbike', 100, 140, 140, 220], ['person', 200, 120, 230, 215]]);
    expect(withoutRiders(beside).length).toBe(2);
    const alone = detections([['person', 98, 100, 142, 190], ['car', 300, 100, 400, 200]]);
    expect(withoutRiders(alone)).toBe(alone);
  });

  it('treats a bicycle rider the same way', () => {
    const out = withoutRiders(detections([['bicycle', 10, 60, 50, 120], ['person', 12, 20, 48, 100]]));
    expect(Array.from(out.classIds)).toEqual([id('bicycle')]);
  });
});
