// What an operator sets up on a camera for analysis: counting lines, zones and the ground calibration,
// in pixels of the frame they were drawn on (widthPx × heightPx; scaled to the analysed frame's size).
import type { CountingLineConfig, FrameSizePx, GroundCalibration, ZoneConfig } from './geometry.ts';

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
  /**
   * Model input size for this camera's frames, when it needs another than the deployment's (config
   * inference.inputWidthPx/inputHeightPx), e.g. 960x544 for a 1080p street of small far motorbikes; absent or null:
   * the deployment's. Carried to the workers in the camera's analysis plan.
   */
  inputSizePx?: FrameSizePx | null;
}

export const EMPTY_CAMERA_ANALYSIS: Readonly<CameraAnalysis> = Object.freeze({
  widthPx: 0,
  heightPx: 0,
  lines: [],
  zones: [],
  calibration: null,
});
