// A camera's analysis geometry is drawn on one frame size (the setup page's still) and applied to frames
// of another (the analysed sub-stream): lines, zones and calibration image points are scaled between them.
import type { CameraAnalysis } from '../core/cameraAnalysis.ts';
import { ValidationError } from '../core/errors.ts';
import type { FrameSizePx, PointPx } from '../core/geometry.ts';

/** The analysis in pixels of a frame of `target` size. Ground areas (m²) and ground points do not change. */
export function scaleCameraAnalysis(analysis: CameraAnalysis, target: FrameSizePx): CameraAnalysis {
  if (!(target.widthPx > 0 && target.heightPx > 0)) {
    throw new ValidationError(`frame size ${target.widthPx}×${target.heightPx} is not positive`, {
      field: 'frameWidthPx',
    });
  }
  const hasGeometry = analysis.lines.length > 0 || analysis.zones.length > 0 || analysis.calibration !== null;
  if (!(analysis.widthPx > 0 && analysis.heightPx > 0)) {
    if (hasGeometry) {
      throw new ValidationError('camera analysis has geometry but no frame size it was drawn on', { field: 'widthPx' });
    }
    return { ...analysis, widthPx: target.widthPx, heightPx: target.heightPx };
  }
  const sx = target.widthPx / analysis.widthPx;
  const sy = target.heightPx / analysis.heightPx;
  const scale = (p: PointPx): PointPx => ({ x: p.x * sx, y: p.y * sy });
  return {
    widthPx: target.widthPx,
    heightPx: target.heightPx,
    lines: analysis.lines.map((line) => ({ ...line, points: line.points.map(scale) })),
    zones: analysis.zones.map((zone) => ({ ...zone, polygon: zone.polygon.map(scale) })),
    calibration: analysis.calibration
      ? {
          imagePoints: analysis.calibration.imagePoints.map(scale) as [PointPx, PointPx, PointPx, PointPx],
          groundPoints: analysis.calibration.groundPoints,
        }
      : null,
  };
}
