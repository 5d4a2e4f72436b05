// Checks a camera's drawn geometry (lines, zones, calibration) against its frame before it is saved;
// returns every problem with the field path it concerns, so the API can answer one precise 400.
import type { CountingLineConfig, GroundCalibration, PointPx, ZoneConfig } from '../core/geometry.ts';
import { crossSide, selfIntersections } from './geometry.ts';

export type GeometryErrorCode =
  | 'POINT_NOT_FINITE'
  | 'POINT_OUTSIDE_FRAME'
  | 'LINE_TOO_FEW_POINTS'
  | 'LINE_DIRECTIONS_INVALID'
  | 'POLYGON_TOO_FEW_POINTS'
  | 'POLYGON_SELF_INTERSECTING'
  | 'POLYGON_DEGENERATE'
  | 'ZONE_AREA_INVALID'
  | 'ZONE_CAPACITY_INVALID'
  | 'CALIBRATION_DEGENERATE'
  | 'DUPLICATE_ID';

export interface GeometryError {
  /** Path of the offending value, e.g. `lines[0].points[2]`, `zones[1].polygon`. */
  field: string;
  code: GeometryErrorCode;
  message: string;
}

export interface CameraGeometry {
  widthPx: number;
  heightPx: number;
  lines?: readonly CountingLineConfig[];
  zones?: readonly ZoneConfig[];
  calibration?: GroundCalibration | null;
}

/** No camera's view holds more: a larger value is a typo (an area or a daily count typed in the wrong box). */
export const MAX_ZONE_CAPACITY_VEHICLES = 10_000;

export function validateCameraGeometry(geometry: CameraGeometry): GeometryError[] {
  const errors: GeometryError[] = [];
  const frame = { widthPx: geometry.widthPx, heightPx: geometry.heightPx };
  (geometry.lines ?? []).forEach((line, i) => validateLine(line, `lines[${i}]`, frame, errors));
  (geometry.zones ?? []).forEach((zone, i) => validateZone(zone, `zones[${i}]`, frame, errors));
  duplicateIds(geometry.lines ?? [], 'lines', errors);
  duplicateIds(geometry.zones ?? [], 'zones', errors);
  if (geometry.calibration) validateCalibration(geometry.calibration, frame, errors);
  return errors;
}

interface Frame {
  widthPx: number;
  heightPx: number;
}

function validatePoints(points: readonly PointPx[], field: string, frame: Frame, errors: GeometryError[]): boolean {
  let allFinite = true;
  points.forEach((p, i) => {
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) {
      allFinite = false;
      errors.push({
        field: `${field}[${i}]`,
        code: 'POINT_NOT_FINITE',
        message: 'point coordinates must be finite numbers',
      });
    } else if (p.x < 0 || p.y < 0 || p.x > frame.widthPx || p.y > frame.heightPx) {
      errors.push({
        field: `${field}[${i}]`,
        code: 'POINT_OUTSIDE_FRAME',
        message: `point (${p.x}, ${p.y}) is outside the ${frame.widthPx}×${frame.heightPx} frame`,
      });
    }
  });
  return allFinite;
}

function validateLine(line: CountingLineConfig, field: string, frame: Frame, errors: GeometryError[]): void {
  if (!validatePoints(line.points, `${field}.points`, frame, errors)) return;
  const distinct = new Set(line.points.map((p) => `${p.x},${p.y}`));
  if (distinct.size < 2) {
    errors.push({
      field: `${field}.points`,
      code: 'LINE_TOO_FEW_POINTS',
      message: 'a line needs at least 2 distinct points',
    });
  }
  const d = line.directions;
  if (d && (!d.leftToRight.trim() || !d.rightToLeft.trim() || d.leftToRight === d.rightToLeft)) {
    errors.push({
      field: `${field}.directions`,
      code: 'LINE_DIRECTIONS_INVALID',
      message: 'direction names must be non-empty and different',
    });
  }
}

function validateZone(zone: ZoneConfig, field: string, frame: Frame, errors: GeometryError[]): void {
  if (zone.areaM2 != null && !(zone.areaM2 > 0 && Number.isFinite(zone.areaM2))) {
    errors.push({
      field: `${field}.areaM2`,
      code: 'ZONE_AREA_INVALID',
      message: 'area must be a positive number of m²',
    });
  }
  const capacity = zone.capacityVehicles;
  if (capacity != null && !(Number.isInteger(capacity) && capacity >= 1 && capacity <= MAX_ZONE_CAPACITY_VEHICLES)) {
    errors.push({
      field: `${field}.capacityVehicles`,
      code: 'ZONE_CAPACITY_INVALID',
      message: `capacity must be a whole number of vehicles from 1 to ${MAX_ZONE_CAPACITY_VEHICLES}`,
    });
  }
  if (!validatePoints(zone.polygon, `${field}.polygon`, frame, errors)) return;
  if (zone.polygon.length < 3) {
    errors.push({
      field: `${field}.polygon`,
      code: 'POLYGON_TOO_FEW_POINTS',
      message: 'a zone needs at least 3 points',
    });
    return;
  }
  const crossings = selfIntersections(zone.polygon);
  if (crossings.length > 0) {
    const [i, j] = crossings[0]!;
    errors.push({
      field: `${field}.polygon`,
      code: 'POLYGON_SELF_INTERSECTING',
      message: `edge ${i}→${(i + 1) % zone.polygon.length} crosses edge ${j}→${(j + 1) % zone.polygon.length}`,
    });
  } else if (zone.polygon.every((p, i, all) => i < 2 || crossSide(all[0]!, all[1]!, p) === 0)) {
    errors.push({
      field: `${field}.polygon`,
      code: 'POLYGON_DEGENERATE',
      message: 'zone points are collinear (no area)',
    });
  }
}

function validateCalibration(calibration: GroundCalibration, frame: Frame, errors: GeometryError[]): void {
  if (!validatePoints(calibration.imagePoints, 'calibration.imagePoints', frame, errors)) return;
  for (const [name, points] of [
    ['imagePoints', calibration.imagePoints],
    ['groundPoints', calibration.groundPoints],
  ] as const) {
    if (points.length !== 4) {
      errors.push({
        field: `calibration.${name}`,
        code: 'CALIBRATION_DEGENERATE',
        message: 'exactly 4 points are needed',
      });
      continue;
    }
    // A homography needs 4 points in general position: no three on one line.
    for (let skip = 0; skip < 4; skip++) {
      const [a, b, c] = points.filter((_, i) => i !== skip) as [PointPx, PointPx, PointPx];
      const spread = Math.max(Math.abs(b.x - a.x), Math.abs(b.y - a.y), Math.abs(c.x - a.x), Math.abs(c.y - a.y), 1e-9);
      if (Math.abs(crossSide(a, b, c)) <= 1e-9 * spread * spread) {
        errors.push({
          field: `calibration.${name}`,
          code: 'CALIBRATION_DEGENERATE',
          message: `points other than ${skip} are collinear or repeated`,
        });
        break;
      }
    }
  }
}

function duplicateIds(items: readonly { id: string }[], field: string, errors: GeometryError[]): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.id))
      errors.push({ field: `${field}[${i}].id`, code: 'DUPLICATE_ID', message: `id ${item.id} is used twice` });
    seen.add(item.id);
  });
}
