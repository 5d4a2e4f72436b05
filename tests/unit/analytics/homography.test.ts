import { describe, expect, it } from 'vitest';
import { Homography, solveLinear } from '../../../analytics/homography.ts';
import { ValidationError } from '../../../core/errors.ts';
import { ROAD_CALIBRATION } from '../../../harness/scenes/fixtures.ts';

describe('Homography', () => {
  it('maps the four calibration points exactly', () => {
    const h = Homography.fromCalibration(structuredClone(ROAD_CALIBRATION) as never);
    ROAD_CALIBRATION.imagePoints.forEach((p, i) => {
      const g = h.project(p);
      expect(g.x).toBeCloseTo(ROAD_CALIBRATION.groundPoints[i]!.x, 6);
      expect(g.y).toBeCloseTo(ROAD_CALIBRATION.groundPoints[i]!.y, 6);
    });
  });

  it('recovers a known projective map at points other than the calibration ones', () => {
    const truth = [0.02, 0.001, -3, -0.0005, 0.03, 1, 0.00001, 0.0004, 1];
    const apply = (p: { x: number; y: number }) => {
      const w = truth[6]! * p.x + truth[7]! * p.y + truth[8]!;
      return {
        x: (truth[0]! * p.x + truth[1]! * p.y + truth[2]!) / w,
        y: (truth[3]! * p.x + truth[4]! * p.y + truth[5]!) / w,
      };
    };
    const from = [
      { x: 10, y: 20 },
      { x: 1200, y: 40 },
      { x: 1100, y: 700 },
      { x: 50, y: 650 },
    ];
    const h = Homography.fromPoints(from, from.map(apply));
    for (const p of [
      { x: 640, y: 360 },
      { x: 300, y: 500 },
      { x: 900, y: 100 },
    ]) {
      expect(h.project(p).x).toBeCloseTo(apply(p).x, 6);
      expect(h.project(p).y).toBeCloseTo(apply(p).y, 6);
    }
  });

  it('rejects degenerate calibrations (three collinear points)', () => {
    const collinear = [
      { x: 0, y: 0 },
      { x: 100, y: 0 },
      { x: 200, y: 0 },
      { x: 50, y: 80 },
    ];
    expect(() => Homography.fromPoints(collinear, ROAD_CALIBRATION.groundPoints)).toThrow(ValidationError);
  });

  it('solves a linear system by elimination with pivoting', () => {
    expect(
      solveLinear([
        [0, 2, 4],
        [3, 1, 5],
      ]),
    ).toEqual([1, 2]);
    expect(
      solveLinear([
        [1, 2, 3],
        [2, 4, 6],
      ]),
    ).toBeNull();
  });
});
