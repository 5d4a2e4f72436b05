import { describe, expect, it } from 'vitest';
import { Detections, TRAFFIC_CLASSES } from '../../../core/detections.ts';
import { mergeRiders } from '../../../analytics/riders.ts';

const id = (name: (typeof TRAFFIC_CLASSES)[number]) => TRAFFIC_CLASSES.indexOf(name);

function detections(items: Array<[string, number, number, number, number, number?]>): Detections {
  return new Detections({
    boxes: Float32Array.from(items.flatMap(([, x1, y1, x2, y2]) => [x1, y1, x2, y2])),
    scores: Float32Array.from(items.map(([, , , , , score]) => score ?? 0.8)),
    classIds: Uint8Array.from(items.map(([name]) => id(name as never))),
  });
}

const boxes = (d: Detections) =>
  Array.from({ length: d.length }, (_, i) => Array.from(d.boxes.subarray(i * 4, i * 4 + 4)));

describe('rider merging', () => {
  it('makes a person standing in a motorbike box (seen from behind) and the motorbike one motorbike, head to wheels', () => {
    // Rear view: the rider's box covers the upper part of the bike, his feet inside it.
    const out = mergeRiders(
      detections([
        ['motorbike', 100, 140, 140, 220, 0.3],
        ['person', 98, 100, 142, 190, 0.75],
      ]),
    );
    expect(Array.from(out.classIds)).toEqual([id('motorbike')]);
    expect(boxes(out)).toEqual([[98, 100, 142, 220]]);
    // The rider's confidence says something is there: a faint bike under a clear rider can start a track.
    expect(out.scores[0]).toBeCloseTo(0.75);
  });

  it('keeps a pedestrian walking beside a motorbike and persons when no two-wheeler is seen', () => {
    const beside = detections([
      ['motorbike', 100, 140, 140, 220],
      ['person', 200, 120, 230, 215],
    ]);
    expect(mergeRiders(beside).length).toBe(2);
    const alone = detections([
      ['person', 98, 100, 142, 190],
      ['car', 300, 100, 400, 200],
    ]);
    expect(mergeRiders(alone)).toBe(alone);
  });

  it('treats a bicycle rider the same way, and merges a driver and a passenger into one bike', () => {
    const cyclist = mergeRiders(
      detections([
        ['bicycle', 10, 60, 50, 120],
        ['person', 12, 20, 48, 100],
      ]),
    );
    expect(Array.from(cyclist.classIds)).toEqual([id('bicycle')]);
    const twoUp = mergeRiders(
      detections([
        ['motorbike', 100, 140, 150, 230],
        ['person', 100, 100, 140, 200],
        ['person', 112, 95, 150, 205],
      ]),
    );
    expect(Array.from(twoUp.classIds)).toEqual([id('motorbike')]);
    expect(boxes(twoUp)).toEqual([[100, 95, 150, 230]]);
  });

  it('drops a "car" box that is a rider read as a vehicle, with or without the bike seen', () => {
    // As YOLOX-Nano sees a rider from behind on vn_wrong_way.mp4: person, car and motorbike on one object.
    const withBike = mergeRiders(
      detections([
        ['person', 1030, 334, 1090, 432, 0.7],
        ['car', 1029, 344, 1092, 452, 0.63],
        ['motorbike', 1034, 393, 1086, 470, 0.54],
      ]),
    );
    expect(Array.from(withBike.classIds)).toEqual([id('motorbike')]);
    const withoutBike = mergeRiders(
      detections([
        ['person', 1137, 345, 1185, 458, 0.75],
        ['car', 1136, 354, 1184, 456, 0.46],
      ]),
    );
    expect(Array.from(withoutBike.classIds)).toEqual([id('person')]);
  });

  it('keeps a car with a pedestrian in front of it', () => {
    const out = mergeRiders(
      detections([
        ['car', 300, 100, 420, 200],
        ['person', 340, 110, 365, 205],
      ]),
    );
    expect(Array.from(out.classIds)).toEqual([id('car'), id('person')]);
  });
});
