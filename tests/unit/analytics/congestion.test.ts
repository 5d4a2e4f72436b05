import { describe, expect, it } from 'vitest';
import { congestionLevel, meanSpeedKmh } from '../../../analytics/congestion.ts';
import { ValidationError } from '../../../core/errors.ts';

describe('congestionLevel', () => {
  it('is free on an empty road and jammed when full and crawling', () => {
    expect(congestionLevel({ vehicles: 0, capacityVehicles: 20, meanSpeedKmh: null })).toBe(0);
    expect(congestionLevel({ vehicles: 19, capacityVehicles: 20, meanSpeedKmh: 3 })).toBe(4);
  });

  it('needs both fullness and slowness: a dense platoon at speed or one slow car stays free', () => {
    expect(congestionLevel({ vehicles: 18, capacityVehicles: 20, meanSpeedKmh: 50 })).toBe(0);
    expect(congestionLevel({ vehicles: 1, capacityVehicles: 20, meanSpeedKmh: 4 })).toBe(0);
  });

  it('steps through the documented default thresholds', () => {
    const at = (ratio: number, speed: number) =>
      congestionLevel({ vehicles: ratio * 100, capacityVehicles: 100, meanSpeedKmh: speed });
    expect([at(0.9, 45), at(0.9, 30), at(0.9, 20), at(0.9, 10), at(0.9, 4)]).toEqual([0, 1, 2, 3, 4]);
    expect([at(0.1, 1), at(0.3, 1), at(0.5, 1), at(0.7, 1), at(0.85, 1)]).toEqual([0, 1, 2, 3, 4]);
  });

  it('uses occupancy alone when the speed is unknown, and takes custom thresholds', () => {
    expect(congestionLevel({ vehicles: 13, capacityVehicles: 20, meanSpeedKmh: null })).toBe(3);
    const strict = {
      occupancyRatios: [0.1, 0.2, 0.3, 0.4] as [number, number, number, number],
      speedsKmh: [60, 50, 40, 30] as [number, number, number, number],
    };
    expect(congestionLevel({ vehicles: 5, capacityVehicles: 10, meanSpeedKmh: 35 }, strict)).toBe(3);
  });

  it('rejects a section without capacity', () => {
    expect(() => congestionLevel({ vehicles: 1, capacityVehicles: 0, meanSpeedKmh: null })).toThrow(ValidationError);
  });
});

describe('meanSpeedKmh', () => {
  it('averages known speeds and is null when none is known', () => {
    expect(meanSpeedKmh([10, null, 30])).toBe(20);
    expect(meanSpeedKmh([null, null])).toBeNull();
  });
});
