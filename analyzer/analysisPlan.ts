// The inference regions a camera's lines and zones call for: a crop around each (with a margin), in
// pixels of the analysed frame, plus the whole frame, so small motorbikes near a line get more model pixels.
import type { CameraAnalysis } from '../core/cameraAnalysis.ts';
import type { AnalysisPlan } from '../core/analysisPlan.ts';
import type { PointPx, RectPx } from '../core/geometry.ts';
import { scaleCameraAnalysis } from '../analytics/scaleAnalysis.ts';
import type { FrameSizePx } from '../core/geometry.ts';

/** A crop this large a part of the frame adds nothing the whole-frame pass does not see. */
const MAX_CROP_FRAME_FRAC = 0.8;

/** Where detection runs (config analyzer.inferenceRegions). */
export type InferenceRegions = 'lines-and-zones' | 'whole-frame' | 'tiles';

/** Tiles of the 'tiles' plan: 3x2 with 20 % overlap keeps a 16:9 tile near the model's own aspect. */
const TILES = { cols: 3, rows: 2, overlapFrac: 0.2 };

/**
 * Null when the whole frame alone is analysed at the worker's size (the workers' default): 'whole-frame', or
 * a camera with no lines or zones under 'lines-and-zones', and no input size of its own.
 */
export function analysisPlanFor(
  analysis: CameraAnalysis,
  frame: FrameSizePx,
  marginPx: number,
  regions: InferenceRegions = 'lines-and-zones',
): AnalysisPlan | null {
  const size = analysis.inputSizePx
    ? { inputSizePx: { widthPx: analysis.inputSizePx.widthPx, heightPx: analysis.inputSizePx.heightPx } }
    : {};
  if (regions === 'tiles') return { wholeFrame: true, crops: [], tiles: TILES, ...size };
  const scaled = scaleCameraAnalysis(analysis, frame);
  const shapes: PointPx[][] =
    regions === 'whole-frame' ? [] : [...scaled.lines.map((l) => l.points), ...scaled.zones.map((z) => z.polygon)];
  if (shapes.length === 0) return analysis.inputSizePx ? { wholeFrame: true, crops: [], tiles: null, ...size } : null;
  const frameArea = frame.widthPx * frame.heightPx;
  const small = (r: RectPx) => r.widthPx * r.heightPx < MAX_CROP_FRAME_FRAC * frameArea;
  // Frame-sized shapes first, so a zone covering the view does not swallow the small crops of the lines.
  const rects = shapes
    .map((points) => boundingRect(points, marginPx, frame))
    .filter((r): r is RectPx => r !== null && small(r));
  return { wholeFrame: true, crops: mergeOverlapping(rects).filter(small), tiles: null, ...size };
}

function boundingRect(points: readonly PointPx[], marginPx: number, frame: FrameSizePx): RectPx | null {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const x1 = Math.max(0, Math.floor(Math.min(...xs) - marginPx));
  const y1 = Math.max(0, Math.floor(Math.min(...ys) - marginPx));
  const x2 = Math.min(frame.widthPx, Math.ceil(Math.max(...xs) + marginPx));
  const y2 = Math.min(frame.heightPx, Math.ceil(Math.max(...ys) + marginPx));
  if (x2 - x1 < 2 || y2 - y1 < 2) return null;
  return { x: x1, y: y1, widthPx: x2 - x1, heightPx: y2 - y1 };
}

/** Overlapping crops become their union: one model pass instead of two over mostly the same pixels. */
function mergeOverlapping(rects: RectPx[]): RectPx[] {
  const out = [...rects];
  for (let merged = true; merged;) {
    merged = false;
    outer: for (let i = 0; i < out.length; i++) {
      for (let j = i + 1; j < out.length; j++) {
        const a = out[i]!;
        const b = out[j]!;
        if (a.x < b.x + b.widthPx && b.x < a.x + a.widthPx && a.y < b.y + b.heightPx && b.y < a.y + a.heightPx) {
          const x = Math.min(a.x, b.x);
          const y = Math.min(a.y, b.y);
          out[i] = {
            x,
            y,
            widthPx: Math.max(a.x + a.widthPx, b.x + b.widthPx) - x,
            heightPx: Math.max(a.y + a.heightPx, b.y + b.heightPx) - y,
          };
          out.splice(j, 1);
          merged = true;
          break outer;
        }
      }
    }
  }
  return out.sort((a, b) => a.y - b.y || a.x - b.x);
}
