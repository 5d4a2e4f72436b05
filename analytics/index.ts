// The analytics room's public surface: pure, deterministic values from detections to counts.
// Nothing here does I/O or reads a clock; time always arrives as an argument (epoch ms).
export { ByteTracker, type ByteTrackerOptions } from './byteTracker.ts';
export { isObserved, type Track, type Tracks, type TrackState } from './tracks.ts';
export { KalmanBoxFilter, type KalmanBoxOptions } from './kalmanBoxFilter.ts';
export { FlowPrior, type FlowPriorOptions } from './flowPrior.ts';
export { solveAssignment, FORBIDDEN_COST, type Assignment } from './assignment.ts';
export { LineCounter, type LineCounterOptions, type LineCrossing, type LineSide } from './lineCounter.ts';
export { PolygonZone, type PolygonZoneOptions, type ZoneEvent, type ZoneDwell, type ZoneUpdate } from './polygonZone.ts';
export {
  CrowdMeter,
  BoxCountDensityEstimator,
  DensityMapEstimator,
  type DensityEstimator,
  type DensityMap,
  type CrowdFrame,
  type CrowdZone,
  type CrowdMeasurement,
} from './crowd.ts';
export { Homography } from './homography.ts';
export { SpeedEstimator, type SpeedEstimatorOptions, type TrackSpeed } from './speedEstimator.ts';
export { congestionLevel, meanSpeedKmh, type CongestionLevel, type CongestionInput, type CongestionThresholds } from './congestion.ts';
export {
  zoneCongestion,
  zoneCongestionRows,
  VEHICLE_CLASSES,
  type ZoneCongestion,
  type ZoneCongestionRow,
  type ZoneCapacity,
  type ZoneClassOccupancy,
  type ZoneOccupancyRow,
} from './zoneCongestion.ts';
export { MinuteCounts, MINUTE_MS, type MinuteCountRow, type CountedCrossing, type MinuteCountsOptions } from './minuteCounts.ts';
export { validateCameraGeometry, type CameraGeometry, type GeometryError, type GeometryErrorCode } from './validateGeometry.ts';
export { anchorOf, iou, pointInPolygon, type BoxXyxy } from './geometry.ts';
