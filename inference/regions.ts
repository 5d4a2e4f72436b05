// Analysis regions of a frame: the whole frame, crops around a camera's lines and zones, and SAHI-style
// overlapping tiles. Small, far objects (motorbikes) get more model pixels in a crop or tile than in the whole frame.
import type { AnalysisPlan, TileGrid } from '../core/analysisPlan.ts';
import type { RectPx } from '../core/geometry.ts';
import { clampRect } from './geometry.ts';

/** The distinct rectangles to analyse, clamped to the frame, whole frame first. */
export function planRegions(plan: AnalysisPlan, frameWidthPx: number, frameHeightPx: number): RectPx[] {
  const rects: RectPx[] = [];
  if (plan.wholeFrame) rects.push({ x: 0, y: 0, widthPx: frameWidthPx, heightPx: frameHeightPx });
  for (const crop of plan.crops) {
    const rect = clampRect(crop, frameWidthPx, frameHeightPx);
    if (rect) rects.push(rect);
  }
  if (plan.tiles) rects.push(...tileRects(plan.tiles, frameWidthPx, frameHeightPx));
  const seen = new Set<string>();
  return rects.filter((r) => {
    const key = `${r.x},${r.y},${r.widthPx},${r.heightPx}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** cols × rows tiles covering the frame, neighbours overlapping by overlapFrac of a tile. */
export function tileRects(grid: TileGrid, frameWidthPx: number, frameHeightPx: number): RectPx[] {
  const tileW = tileSize(frameWidthPx, grid.cols, grid.overlapFrac);
  const tileH = tileSize(frameHeightPx, grid.rows, grid.overlapFrac);
  const rects: RectPx[] = [];
  for (let r = 0; r < grid.rows; r++) {
    for (let c = 0; c < grid.cols; c++) {
      const x = grid.cols === 1 ? 0 : Math.round((c * (frameWidthPx - tileW)) / (grid.cols - 1));
      const y = grid.rows === 1 ? 0 : Math.round((r * (frameHeightPx - tileH)) / (grid.rows - 1));
      const rect = clampRect({ x, y, widthPx: tileW, heightPx: tileH }, frameWidthPx, frameHeightPx);
      if (rect) rects.push(rect);
    }
  }
  return rects;
}

// n tiles of size t overlapping by f·t cover n·t − (n−1)·f·t = frame.
function tileSize(framePx: number, count: number, overlapFrac: number): number {
  if (count <= 1) return framePx;
  return Math.min(framePx, Math.ceil(framePx / (count - (count - 1) * overlapFrac)));
}
