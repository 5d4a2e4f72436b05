// Camera geometry as drawn by an operator on a frame: counting lines, zones and the ground calibration.
// Declared once here so the API (validates, stores), the store (persists) and analytics (counts) agree.

/** A point in source-frame pixels (x right, y down). */
export interface PointPx {
  x: number;
  y: number;
}

/** A picture's size in pixels: a frame, a model input, a JPEG's header. The one size type of the code base. */
export interface FrameSizePx {
  widthPx: number;
  heightPx: number;
}

/** Integer rectangle in source pixels (an analysis plan's crop, a letterboxed region). */
export interface RectPx {
  x: number;
  y: number;
  widthPx: number;
  heightPx: number;
}

/** A point on the ground plane, in metres. */
export interface PointM {
  x: number;
  y: number;
}

/** Which point of a box stands for the object: its ground contact (bottom-centre) by default. */
export type AnchorPoint = 'bottomCenter' | 'center' | 'topCenter';

export interface CountingLineConfig {
  id: string;
  /** Polyline, 2+ points in source pixels. */
  points: PointPx[];
  /**
   * Names of the two crossing directions. Left and right are as seen on the image by someone walking
   * along the line from its first point to its last (image y points down).
   */
  directions?: { leftToRight: string; rightToLeft: string };
  /**
   * What people read for each direction ('về phía camera'), where the names above are identifiers kept in
   * counts and rules ('ve-phia-camera'). Absent: the identifier is shown, hyphens as spaces.
   */
  directionNames?: { leftToRight?: string; rightToLeft?: string };
}

export interface ZoneConfig {
  id: string;
  /** Simple polygon, 3+ points in source pixels. */
  polygon: PointPx[];
  /** Calibrated ground area of the zone, for crowd density; absent when not measured. */
  areaM2?: number | null;
  /** Vehicles the zone holds when full, set by the operator, for its congestion level; absent when not set. */
  capacityVehicles?: number | null;
}

/** Four image points and the ground points (metres) they show, for the image→ground homography. */
export interface GroundCalibration {
  imagePoints: [PointPx, PointPx, PointPx, PointPx];
  groundPoints: [PointM, PointM, PointM, PointM];
}
