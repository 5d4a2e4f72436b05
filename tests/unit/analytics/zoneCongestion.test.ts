import { describe, expect, it } from 'vitest';
import {
  VEHICLE_CLASSES,
  zoneCongestion,
  zoneCongestionRows,
  type ZoneOccupancyRow,
} from '../../../analytics/zoneCongestion.ts';
import { TRAFFIC_CLASSES } from '../../../core/detections.ts';
import { ValidationError } from '../../../core/errors.ts';

const occupancy = (className: string, occupancyAvg: number, occupancyMax = Math.ceil(occupancyAvg)) => ({
  className,
  occupancyAvg,
  occupancyMax,
});

describe('zoneCongestion', () => {
  it('counts every traffic class but people as vehicles', () => {
    expect([...VEHICLE_CLASSES].sort()).toEqual(TRAFFIC_CLASSES.filter((c) => c !== 'person').sort());
  });

  it('sums the vehicle classes and leaves a crowd of pedestrians out of the level', () => {
    const rows = [
      occupancy('motorbike', 4.5, 7),
      occupancy('car', 2.25, 3),
      occupancy('bus', 0, 0),
      occupancy('truck', 0.25, 1),
      occupancy('bicycle', 0, 0),
      occupancy('person', 30, 41),
    ];
    expect(zoneCongestion(rows, 12)).toEqual({ vehiclesAvg: 7, vehiclesMax: 11, level: 2 });
  });

  it('steps through the levels with the mean vehicles over the capacity', () => {
    const levelAt = (motorbikes: number) => zoneCongestion([occupancy('motorbike', motorbikes)], 10).level;
    expect([0, 1.9, 2, 4, 6, 7.9, 8, 15].map(levelAt)).toEqual([0, 0, 1, 2, 3, 3, 4, 4]);
  });

  it('takes the level from the mean, not the peak: one bunched-up phase is not congestion', () => {
    expect(zoneCongestion([occupancy('car', 1, 12)], 12)).toMatchObject({ vehiclesMax: 12, level: 0 });
  });

  it('is free with no vehicle rows, and takes custom thresholds', () => {
    expect(zoneCongestion([], 5)).toEqual({ vehiclesAvg: 0, vehiclesMax: 0, level: 0 });
    expect(zoneCongestion([occupancy('car', 3)], 10, { occupancyRatios: [0.1, 0.15, 0.2, 0.3] }).level).toBe(4);
  });

  it('rejects a zone without a positive capacity', () => {
    expect(() => zoneCongestion([occupancy('car', 1)], 0)).toThrow(ValidationError);
  });
});

describe('zoneCongestionRows', () => {
  const at = (iso: string) => new Date(iso);
  const row = (
    bucket: string,
    cameraId: string,
    zoneId: string,
    className: string,
    occupancyAvg: number,
  ): ZoneOccupancyRow => ({
    bucket: at(bucket),
    cameraId,
    zoneId,
    ...occupancy(className, occupancyAvg),
  });

  it("answers one row per bucket, camera and zone with a capacity, in the rows' order", () => {
    const rows = [
      row('2026-11-25T01:00:00Z', 'cam-a', 'giao-lo', 'car', 3),
      row('2026-11-25T01:00:00Z', 'cam-a', 'giao-lo', 'motorbike', 6),
      row('2026-11-25T01:00:00Z', 'cam-a', 'via-he', 'motorbike', 9),
      row('2026-11-25T01:00:00Z', 'cam-b', 'giao-lo', 'car', 1),
      row('2026-11-25T01:15:00Z', 'cam-a', 'giao-lo', 'car', 1),
    ];
    const capacities = [
      { cameraId: 'cam-a', zoneId: 'giao-lo', zoneName: 'Giao lộ', capacityVehicles: 12 },
      // Same zone id on another camera: its own capacity, not cam-a's.
      { cameraId: 'cam-b', zoneId: 'giao-lo', zoneName: 'giao-lo', capacityVehicles: 2 },
    ];
    expect(zoneCongestionRows(rows, capacities)).toEqual([
      {
        bucket: at('2026-11-25T01:00:00Z'),
        cameraId: 'cam-a',
        zoneId: 'giao-lo',
        zoneName: 'Giao lộ',
        capacityVehicles: 12,
        vehiclesAvg: 9,
        vehiclesMax: 9,
        level: 3,
      },
      {
        bucket: at('2026-11-25T01:00:00Z'),
        cameraId: 'cam-b',
        zoneId: 'giao-lo',
        zoneName: 'giao-lo',
        capacityVehicles: 2,
        vehiclesAvg: 1,
        vehiclesMax: 1,
        level: 2,
      },
      {
        bucket: at('2026-11-25T01:15:00Z'),
        cameraId: 'cam-a',
        zoneId: 'giao-lo',
        zoneName: 'Giao lộ',
        capacityVehicles: 12,
        vehiclesAvg: 1,
        vehiclesMax: 1,
        level: 0,
      },
    ]);
  });
});
