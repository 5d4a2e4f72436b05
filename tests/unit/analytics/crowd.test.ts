import { describe, expect, it } from 'vitest';
import {
  BoxCountDensityEstimator,
  CrowdMeter,
  type DensityEstimator,
  DensityMapEstimator,
} from '../../../analytics/crowd.ts';
import { Detections, TRAFFIC_CLASSES } from '../../../core/detections.ts';
import { ValidationError } from '../../../core/errors.ts';
import { tracksAt } from '../../../harness/scenes/fixtures.ts';

const SQUARE = [
  { x: 0, y: 0 },
  { x: 100, y: 0 },
  { x: 100, y: 100 },
  { x: 0, y: 100 },
];
const PERSON = TRAFFIC_CLASSES.indexOf('person');
const CAR = TRAFFIC_CLASSES.indexOf('car');

/** Person boxes standing at the given feet positions, plus one car inside the zone. */
function people(feet: Array<[number, number]>): Detections {
  return new Detections({
    boxes: Float32Array.from([...feet.flatMap(([x, y]) => [x - 5, y - 30, x + 5, y]), 40, 40, 80, 80]),
    scores: Float32Array.from([...feet.map(() => 0.8), 0.9]),
    classIds: Uint8Array.from([...feet.map(() => PERSON), CAR]),
  });
}

describe('CrowdMeter', () => {
  it('counts person boxes whose feet are in the zone and gives people per m²', () => {
    const meter = new CrowdMeter([{ id: 'square', polygon: SQUARE, areaM2: 25 }]);
    const [m] = meter.measure({
      timestampMs: 5000,
      detections: people([
        [10, 50],
        [50, 99],
        [90, 20],
        [150, 50],
        [50, 130],
      ]),
    });
    expect(m).toEqual({ zoneId: 'square', timestampMs: 5000, people: 3, densityPerM2: 3 / 25 });
  });

  it('gives a null density where the zone has no calibrated area', () => {
    const meter = new CrowdMeter([{ id: 'square', polygon: SQUARE }]);
    expect(meter.measure({ timestampMs: 0, detections: people([[10, 50]]) })[0]).toMatchObject({
      people: 1,
      densityPerM2: null,
    });
  });

  it('counts trusted person tracks instead of boxes when tracks are given', () => {
    const meter = new CrowdMeter([{ id: 'square', polygon: SQUARE, areaM2: 10 }]);
    const tracks = tracksAt(0, [
      { id: 1, x: 10, y: 50, className: 'person' },
      { id: 2, x: 20, y: 50, className: 'person', state: 'lost' },
      { id: 3, x: 30, y: 50, className: 'person', state: 'tentative' },
      { id: 4, x: 40, y: 50, className: 'car' },
    ]);
    expect(meter.measure({ timestampMs: 0, detections: Detections.empty(), tracks })[0]!.people).toBe(2);
  });

  it('lets a density-map model plug in through the DensityEstimator seam', () => {
    const map = { widthCells: 4, heightCells: 4, cellPx: 50, values: new Float32Array(16).fill(0.5) };
    const meter = new CrowdMeter([{ id: 'square', polygon: SQUARE, areaM2: 4 }], new DensityMapEstimator());
    // The 2×2 cells with centres in the 100×100 square hold 0.5 people each.
    expect(meter.measure({ timestampMs: 0, detections: Detections.empty(), densityMap: map })[0]).toMatchObject({
      people: 2,
      densityPerM2: 0.5,
    });
    const custom: DensityEstimator = { countPeople: () => 7 };
    expect(
      new CrowdMeter([{ id: 'z', polygon: SQUARE }], custom).measure({
        timestampMs: 0,
        detections: Detections.empty(),
      })[0]!.people,
    ).toBe(7);
  });

  it('refuses a density-map estimate without a map, and a non-positive area', () => {
    expect(() =>
      new DensityMapEstimator().countPeople(SQUARE, { timestampMs: 0, detections: Detections.empty() }),
    ).toThrow(ValidationError);
    expect(() => new CrowdMeter([{ id: 'z', polygon: SQUARE, areaM2: 0 }])).toThrow(ValidationError);
  });

  it('counts by the configured anchor', () => {
    const byCentre = new BoxCountDensityEstimator('center');
    // Feet at y = 110 (outside), centre at y = 95 (inside).
    expect(byCentre.countPeople(SQUARE, { timestampMs: 0, detections: people([[50, 110]]) })).toBe(1);
    expect(
      new BoxCountDensityEstimator().countPeople(SQUARE, { timestampMs: 0, detections: people([[50, 110]]) }),
    ).toBe(0);
  });
});
