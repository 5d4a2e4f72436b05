// What an operator sets up on a camera for analysis: counting lines, zones and the ground calibration,
// in pixels of the frame they were drawn on (widthPx × heightPx; scaled to the analysed frame's size).
import type { CountingLineConfig, GroundCalibration, ZoneConfig } from './geometry.ts';

export interface NamedLine extends CountingLineConfig {
  name?: string;
}

export interface NamedZone extends ZoneConfig {
  name?: string;
}

export interface CameraAnalysis {
  widthPx: number;
  heightPx: number;
  lines: NamedLine[];
  zones: NamedZone[];
  calibration: GroundCalibration | null;
}

export const EMPTY_CAMERA_ANALYSIS: Readonly<CameraAnalysis> = Object.freeze({
  widthPx: 0,
  heightPx: 0,
  lines: [],
  zones: [],
  calibration: null,
});
