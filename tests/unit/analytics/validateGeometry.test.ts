import { describe, expect, it } from 'vitest';
import { validateCameraGeometry } from '../../../analytics/validateGeometry.ts';

const FRAME = { widthPx: 1280, heightPx: 720 };

describe('validateCameraGeometry', () => {
  it('accepts a sane camera', () => {
    expect(
      validateCameraGeometry({
        ...FRAME,
        lines: [
          {
            id: 'l1',
            points: [
              { x: 0, y: 360 },
              { x: 1280, y: 360 },
            ],
            directions: { leftToRight: 'in', rightToLeft: 'out' },
          },
        ],
        zones: [
          {
            id: 'z1',
            polygon: [
              { x: 100, y: 100 },
              { x: 500, y: 100 },
              { x: 500, y: 400 },
            ],
            areaM2: 40,
          },
        ],
        calibration: {
          imagePoints: [
            { x: 540, y: 200 },
            { x: 740, y: 200 },
            { x: 1180, y: 700 },
            { x: 100, y: 700 },
          ],
          groundPoints: [
            { x: 0, y: 40 },
            { x: 10, y: 40 },
            { x: 10, y: 0 },
            { x: 0, y: 0 },
          ],
        },
      }),
    ).toEqual([]);
  });

  it('names a line with fewer than 2 distinct points', () => {
    const errors = validateCameraGeometry({
      ...FRAME,
      lines: [
        {
          id: 'l1',
          points: [
            { x: 5, y: 5 },
            { x: 5, y: 5 },
          ],
        },
      ],
    });
    expect(errors).toEqual([expect.objectContaining({ field: 'lines[0].points', code: 'LINE_TOO_FEW_POINTS' })]);
  });

  it('names each point outside the frame by index', () => {
    const errors = validateCameraGeometry({
      ...FRAME,
      lines: [
        {
          id: 'l1',
          points: [
            { x: 0, y: 0 },
            { x: 1281, y: 10 },
          ],
        },
      ],
      zones: [
        {
          id: 'z1',
          polygon: [
            { x: 10, y: 10 },
            { x: 20, y: -1 },
            { x: 30, y: 30 },
          ],
        },
      ],
    });
    expect(errors.map((e) => [e.field, e.code])).toEqual([
      ['lines[0].points[1]', 'POINT_OUTSIDE_FRAME'],
      ['zones[0].polygon[1]', 'POINT_OUTSIDE_FRAME'],
    ]);
  });

  it('names a self-intersecting (bow-tie) polygon', () => {
    const bowTie = [
      { x: 100, y: 100 },
      { x: 300, y: 300 },
      { x: 300, y: 100 },
      { x: 100, y: 300 },
    ];
    const errors = validateCameraGeometry({ ...FRAME, zones: [{ id: 'z1', polygon: bowTie }] });
    expect(errors).toEqual([expect.objectContaining({ field: 'zones[0].polygon', code: 'POLYGON_SELF_INTERSECTING' })]);
  });

  it('names too-short and collinear polygons, bad areas, bad direction names and duplicate ids', () => {
    const errors = validateCameraGeometry({
      ...FRAME,
      lines: [
        {
          id: 'l1',
          points: [
            { x: 0, y: 0 },
            { x: 10, y: 0 },
          ],
          directions: { leftToRight: 'in', rightToLeft: 'in' },
        },
        {
          id: 'l1',
          points: [
            { x: 0, y: 0 },
            { x: 10, y: 0 },
          ],
        },
      ],
      zones: [
        {
          id: 'z1',
          polygon: [
            { x: 0, y: 0 },
            { x: 10, y: 0 },
          ],
        },
        {
          id: 'z2',
          polygon: [
            { x: 0, y: 0 },
            { x: 10, y: 0 },
            { x: 20, y: 0 },
          ],
          areaM2: -3,
        },
      ],
    });
    expect(errors.map((e) => [e.field, e.code])).toEqual([
      ['lines[0].directions', 'LINE_DIRECTIONS_INVALID'],
      ['zones[0].polygon', 'POLYGON_TOO_FEW_POINTS'],
      ['zones[1].areaM2', 'ZONE_AREA_INVALID'],
      ['zones[1].polygon', 'POLYGON_DEGENERATE'],
      ['lines[1].id', 'DUPLICATE_ID'],
    ]);
  });

  it('accepts a whole capacity up to 10000 vehicles (or none) and names any other one', () => {
    const square = [
      { x: 0, y: 0 },
      { x: 100, y: 0 },
      { x: 100, y: 100 },
      { x: 0, y: 100 },
    ];
    const zones = [1, 12, 10_000, null, undefined, 0, -3, 2.5, 10_001, Number.NaN, Number.POSITIVE_INFINITY].map(
      (capacityVehicles, i) => ({ id: `z${i}`, polygon: square, capacityVehicles }),
    );
    const errors = validateCameraGeometry({ ...FRAME, zones });
    expect(errors.map((e) => [e.field, e.code])).toEqual(
      [5, 6, 7, 8, 9, 10].map((i) => [`zones[${i}].capacityVehicles`, 'ZONE_CAPACITY_INVALID']),
    );
  });

  it('names non-finite coordinates and degenerate calibrations', () => {
    const errors = validateCameraGeometry({
      ...FRAME,
      lines: [
        {
          id: 'l1',
          points: [
            { x: Number.NaN, y: 0 },
            { x: 10, y: 0 },
          ],
        },
      ],
      calibration: {
        imagePoints: [
          { x: 0, y: 0 },
          { x: 100, y: 0 },
          { x: 200, y: 0 },
          { x: 50, y: 80 },
        ],
        groundPoints: [
          { x: 0, y: 0 },
          { x: 1, y: 0 },
          { x: 1, y: 1 },
          { x: 0, y: 1 },
        ],
      },
    });
    expect(errors.map((e) => [e.field, e.code])).toEqual([
      ['lines[0].points[0]', 'POINT_NOT_FINITE'],
      ['calibration.imagePoints', 'CALIBRATION_DEGENERATE'],
    ]);
  });
});
