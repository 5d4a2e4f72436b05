// Congestion level of a road section (a zone, or a line with its approach) from how full it is and how
// fast it moves: 0 free, 1 light, 2 moderate, 3 heavy, 4 jammed.
import { ValidationError } from '../core/errors.ts';

export type CongestionLevel = 0 | 1 | 2 | 3 | 4;

export interface CongestionThresholds {
  /** Occupancy ratios (vehicles / capacity) at which levels 1…4 start. Default [0.2, 0.4, 0.6, 0.8]. */
  occupancyRatios?: [number, number, number, number];
  /** Mean speeds (km/h) at or below which levels 1…4 start. Default [40, 25, 15, 5] (urban roads, mixed motorbike traffic). */
  speedsKmh?: [number, number, number, number];
}

export interface CongestionInput {
  /** Vehicles in the zone (or over the line's approach) at this moment. */
  vehicles: number;
  /** Vehicles the section holds when full (operator-set per zone). */
  capacityVehicles: number;
  /** Mean speed of those vehicles; null when the camera is not calibrated or nothing moved. */
  meanSpeedKmh: number | null;
}

const DEFAULT_OCCUPANCY: [number, number, number, number] = [0.2, 0.4, 0.6, 0.8];
const DEFAULT_SPEEDS: [number, number, number, number] = [40, 25, 15, 5];

/**
 * With a speed, the level is the lower of the occupancy level and the speed level: congestion is full
 * AND slow; a dense platoon still flowing at 45 km/h is not a jam, nor is one slow car on an empty road.
 * Without a speed the occupancy level stands alone.
 */
export function congestionLevel(input: CongestionInput, thresholds: CongestionThresholds = {}): CongestionLevel {
  if (!(input.capacityVehicles > 0)) {
    throw new ValidationError('capacityVehicles must be positive', { field: 'capacityVehicles' });
  }
  const ratios = thresholds.occupancyRatios ?? DEFAULT_OCCUPANCY;
  const speeds = thresholds.speedsKmh ?? DEFAULT_SPEEDS;
  const ratio = input.vehicles / input.capacityVehicles;
  const occupancyLevel = ratios.filter((r) => ratio >= r).length as CongestionLevel;
  if (input.meanSpeedKmh === null) return occupancyLevel;
  const speedLevel = speeds.filter((s) => input.meanSpeedKmh! <= s).length as CongestionLevel;
  return Math.min(occupancyLevel, speedLevel) as CongestionLevel;
}

/** Mean of the known speeds, null when none is known. */
export function meanSpeedKmh(speeds: Iterable<number | null>): number | null {
  let sum = 0;
  let n = 0;
  for (const s of speeds) {
    if (s === null) continue;
    sum += s;
    n += 1;
  }
  return n === 0 ? null : sum / n;
}
