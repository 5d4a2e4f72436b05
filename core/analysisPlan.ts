// Where detection runs on one camera's frames: the plan the camera's analyzer writes to Redis
// (core/redis.ts redisKeys.analysisPlans) and every worker reads. A boundary type, declared once with its check.
import type { FrameSizePx, RectPx } from './geometry.ts';

export interface TileGrid {
  cols: number;
  rows: number;
  /** Overlap between neighbouring tiles, as a fraction of the tile size (0.2 = 20 %). */
  overlapFrac: number;
}

/** Where detection runs on one camera's frames. Regions' boxes are merged by NMS in source pixels. */
export interface AnalysisPlan {
  /** Run on the whole frame too (large, near objects, anything outside the crops). */
  wholeFrame: boolean;
  /** Rectangles in source pixels, e.g. the bounding boxes of the camera's lines and zones with a margin. */
  crops: RectPx[];
  tiles: TileGrid | null;
  /** Model input size for this camera (its analysis setup's inputSizePx); absent: the worker's configured size. */
  inputSizePx?: FrameSizePx;
}

export const WHOLE_FRAME_PLAN: AnalysisPlan = Object.freeze({ wholeFrame: true, crops: [], tiles: null });

/** Checks a plan read from outside (Redis, API) and returns it typed, or a message saying what is wrong. */
export function parseAnalysisPlan(value: unknown): AnalysisPlan | string {
  if (value === null || typeof value !== 'object') return 'analysis plan is not an object';
  const v = value as Record<string, unknown>;
  if (typeof v.wholeFrame !== 'boolean') return 'wholeFrame must be a boolean';
  if (!Array.isArray(v.crops)) return 'crops must be an array';
  for (const [i, crop] of v.crops.entries()) {
    const c = crop as Record<string, unknown>;
    if (![c.x, c.y, c.widthPx, c.heightPx].every((n) => typeof n === 'number' && Number.isFinite(n))) {
      return `crops[${i}] must have numeric x, y, widthPx, heightPx`;
    }
    if ((c.widthPx as number) < 2 || (c.heightPx as number) < 2) return `crops[${i}] is smaller than 2 px`;
  }
  if (v.tiles !== null) {
    const t = v.tiles as Record<string, unknown> | undefined;
    if (!t || !Number.isInteger(t.cols) || !Number.isInteger(t.rows) || typeof t.overlapFrac !== 'number') {
      return 'tiles must be null or { cols, rows, overlapFrac }';
    }
    if ((t.cols as number) < 1 || (t.rows as number) < 1 || (t.cols as number) * (t.rows as number) > 64) {
      return 'tiles must have 1..64 tiles';
    }
    if (t.overlapFrac < 0 || t.overlapFrac >= 0.9) return 'tiles.overlapFrac must be in [0, 0.9)';
  }
  if (v.inputSizePx !== undefined) {
    const s = v.inputSizePx as Record<string, unknown> | null;
    const px = (n: unknown) => Number.isInteger(n) && (n as number) >= 32 && (n as number) <= 4096;
    if (!s || !px(s.widthPx) || !px(s.heightPx))
      return 'inputSizePx must be { widthPx, heightPx }, whole pixels from 32 to 4096';
  }
  if (!v.wholeFrame && v.crops.length === 0 && v.tiles === null) return 'plan analyses nothing';
  return value as AnalysisPlan;
}
