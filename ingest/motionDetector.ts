// Where a camera's picture moved since the frames before, as Frigate finds it: a small grey copy of each frame
// compared with a running-average background; cells that differ by more than a threshold, grown by a margin,
// form boxes. Pure (grey grid in, boxes out) and kept per camera by ingest/motionSink.ts, which decodes the grid.
import type { RectPx } from '../core/geometry.ts';

export interface MotionDetectorOptions {
  /** A cell moved when its grey level differs from the background by more than this (0–255). Default 18. */
  diffThreshold?: number;
  /**
   * Weight of each new frame in the background. 0.5 at 5 fps: a moving car leaves a trail of ~2 frames behind
   * its box (0.2 left ~8, and boxes too long for a crop), and a car that stops fades in within a second. Default 0.5.
   */
  backgroundAlpha?: number;
  /** Moving cells a box needs; smaller blobs are sensor noise or rain. Default 4. */
  minCells?: number;
  /** Cells each moving cell is grown by before boxes are formed (joins a rider's parts). Default 2. */
  dilateCells?: number;
  /** Share of cells moving above which the whole picture counts as moved (light change, a camera shake). Default 0.5. */
  globalShare?: number;
}

export interface GreyGrid {
  /** One byte per cell, row by row. */
  grey: Uint8Array;
  widthPx: number;
  heightPx: number;
}

/** Moving boxes in grid cells, or 'all' when the whole picture changed (first frame, a cut, light). */
export type MotionVerdict = RectPx[] | 'all';

const DEFAULTS: Required<MotionDetectorOptions> = {
  diffThreshold: 18,
  backgroundAlpha: 0.5,
  minCells: 4,
  dilateCells: 2,
  globalShare: 0.5,
};

export class MotionDetector {
  private readonly options: Required<MotionDetectorOptions>;
  private background: Float32Array | null = null;
  private widthPx = 0;
  private heightPx = 0;

  constructor(options: MotionDetectorOptions = {}) {
    this.options = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
  }

  /** Compares the grid with the background, then blends it in. A grid of another size starts over ('all'). */
  update(grid: GreyGrid): MotionVerdict {
    const { grey, widthPx, heightPx } = grid;
    if (grey.length !== widthPx * heightPx)
      throw new RangeError(`grey grid ${widthPx}x${heightPx} has ${grey.length} bytes`);
    if (!this.background || widthPx !== this.widthPx || heightPx !== this.heightPx) {
      this.background = Float32Array.from(grey);
      this.widthPx = widthPx;
      this.heightPx = heightPx;
      return 'all';
    }
    const background = this.background;
    const { diffThreshold, backgroundAlpha, globalShare } = this.options;
    const moved = new Uint8Array(grey.length);
    let movedCount = 0;
    for (let i = 0; i < grey.length; i++) {
      const value = grey[i]!;
      if (Math.abs(value - background[i]!) > diffThreshold) {
        moved[i] = 1;
        movedCount++;
      }
      background[i]! += backgroundAlpha * (value - background[i]!);
    }
    if (movedCount > globalShare * grey.length) {
      // The whole picture changed: start the background again from this frame.
      this.background = Float32Array.from(grey);
      return 'all';
    }
    return this.boxes(moved, widthPx, heightPx);
  }

  /** Bounding boxes of the dilated moving cells' connected components with at least minCells moving cells. */
  private boxes(moved: Uint8Array, w: number, h: number): RectPx[] {
    const { dilateCells, minCells } = this.options;
    const grown = dilate(moved, w, h, dilateCells);
    const visited = new Uint8Array(w * h);
    const rects: RectPx[] = [];
    const stack: number[] = [];
    for (let start = 0; start < grown.length; start++) {
      if (!grown[start] || visited[start]) continue;
      let x1 = w, y1 = h, x2 = -1, y2 = -1, movingCells = 0; // prettier-ignore
      visited[start] = 1;
      stack.push(start);
      while (stack.length > 0) {
        const i = stack.pop()!;
        const x = i % w;
        const y = (i - x) / w;
        if (moved[i]) movingCells++;
        if (x < x1) x1 = x;
        if (x > x2) x2 = x;
        if (y < y1) y1 = y;
        if (y > y2) y2 = y;
        for (const n of [x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, y > 0 ? i - w : -1, y < h - 1 ? i + w : -1]) {
          if (n >= 0 && grown[n] && !visited[n]) {
            visited[n] = 1;
            stack.push(n);
          }
        }
      }
      if (movingCells >= minCells) rects.push({ x: x1, y: y1, widthPx: x2 - x1 + 1, heightPx: y2 - y1 + 1 });
    }
    return rects;
  }
}

/** Square dilation by `radius` cells, as a row pass then a column pass. */
function dilate(mask: Uint8Array, w: number, h: number, radius: number): Uint8Array {
  if (radius <= 0) return mask;
  const rows = new Uint8Array(mask.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!mask[y * w + x]) continue;
      for (let dx = Math.max(0, x - radius); dx <= Math.min(w - 1, x + radius); dx++) rows[y * w + dx] = 1;
    }
  }
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!rows[y * w + x]) continue;
      for (let dy = Math.max(0, y - radius); dy <= Math.min(h - 1, y + radius); dy++) out[dy * w + x] = 1;
    }
  }
  return out;
}
