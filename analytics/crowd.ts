// People count and density per zone. Counting is behind the DensityEstimator seam: the default counts
// person boxes; a density-map model (crowds too dense for boxes) plugs in by integrating its map.
import { Detections, TRAFFIC_CLASSES } from '../core/detections.ts';
import type { AnchorPoint, PointPx } from '../core/geometry.ts';
import { ValidationError } from '../core/errors.ts';
import { anchorOf, pointInPolygon } from './geometry.ts';
import type { Tracks } from './tracks.ts';

const PERSON = TRAFFIC_CLASSES.indexOf('person');

/** A per-cell people density from a crowd model; cell (i, j) covers source px [j·cellPx, (j+1)·cellPx) × rows. */
export interface DensityMap {
  widthCells: number;
  heightCells: number;
  /** Source pixels per cell side. */
  cellPx: number;
  /** Row-major people per cell (the model's map, already scaled so its sum is a count). */
  values: Float32Array;
}

export interface CrowdFrame {
  timestampMs: number;
  detections: Detections;
  /** When present, tracked people are counted instead of raw boxes (steadier through missed frames). */
  tracks?: Tracks | null;
  densityMap?: DensityMap | null;
}

/** Counts people inside a polygon for one frame. */
export interface DensityEstimator {
  countPeople(polygon: readonly PointPx[], frame: CrowdFrame): number;
}

/** Default estimator: person boxes whose feet (bottom-centre) are in the zone. */
export class BoxCountDensityEstimator implements DensityEstimator {
  constructor(private readonly anchor: AnchorPoint = 'bottomCenter') {}

  countPeople(polygon: readonly PointPx[], frame: CrowdFrame): number {
    let people = 0;
    if (frame.tracks) {
      for (const track of frame.tracks.tracks) {
        if (track.classId !== PERSON || track.state === 'tentative') continue;
        if (pointInPolygon(anchorOf(track.box, this.anchor), polygon)) people += 1;
      }
      return people;
    }
    const b = frame.detections.boxes;
    for (let i = 0; i < frame.detections.length; i++) {
      if (frame.detections.classIds[i] !== PERSON) continue;
      const box = [b[i * 4]!, b[i * 4 + 1]!, b[i * 4 + 2]!, b[i * 4 + 3]!] as const;
      if (pointInPolygon(anchorOf(box, this.anchor), polygon)) people += 1;
    }
    return people;
  }
}

/** Integrates a density map over the cells whose centres fall in the zone. */
export class DensityMapEstimator implements DensityEstimator {
  countPeople(polygon: readonly PointPx[], frame: CrowdFrame): number {
    const map = frame.densityMap;
    if (!map)
      throw new ValidationError('DensityMapEstimator needs a density map in the frame', { field: 'densityMap' });
    let people = 0;
    for (let row = 0; row < map.heightCells; row++) {
      for (let col = 0; col < map.widthCells; col++) {
        const centre = { x: (col + 0.5) * map.cellPx, y: (row + 0.5) * map.cellPx };
        if (pointInPolygon(centre, polygon)) people += map.values[row * map.widthCells + col]!;
      }
    }
    return people;
  }
}

export interface CrowdZone {
  id: string;
  polygon: readonly PointPx[];
  areaM2?: number | null;
}

export interface CrowdMeasurement {
  zoneId: string;
  timestampMs: number;
  people: number;
  /** People per m²; null when the zone has no calibrated area. */
  densityPerM2: number | null;
}

export class CrowdMeter {
  constructor(
    private readonly zones: readonly CrowdZone[],
    private readonly estimator: DensityEstimator = new BoxCountDensityEstimator(),
  ) {
    for (const zone of zones) {
      if (zone.areaM2 != null && !(zone.areaM2 > 0)) {
        throw new ValidationError(`zone ${zone.id} area must be positive`, { field: 'areaM2' });
      }
    }
  }

  measure(frame: CrowdFrame): CrowdMeasurement[] {
    return this.zones.map((zone) => {
      const people = this.estimator.countPeople(zone.polygon, frame);
      return {
        zoneId: zone.id,
        timestampMs: frame.timestampMs,
        people,
        densityPerM2: zone.areaM2 ? people / zone.areaM2 : null,
      };
    });
  }
}
