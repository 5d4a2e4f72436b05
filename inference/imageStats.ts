// Cheap whole-image statistics of a frame for the camera-problem rules (black, covered, frozen, moved):
// mean and spread of luma and a 16×16 grey thumbnail, from one small greyscale decode of the JPEG.
import sharp from 'sharp';
import type { ImageStats } from '../core/alerts.ts';
import { FrameRejectedError } from '../core/errors.ts';
import type { Letterbox } from './geometry.ts';

export const THUMB_SIZE_PX = 16;
/**
 * Side of the grey grid the statistics are taken on: small enough that libjpeg decodes the frame at 1/8
 * scale (shrink-on-load; bench/evidenceCost.ts has the cost), large enough that 4×4 grid cells average into
 * each thumb pixel. The spread is that of the grid, not of single pixels: sensor noise is averaged away,
 * which is what "uniform" should mean for a covered lens.
 */
export const STATS_GRID_PX = THUMB_SIZE_PX * 4;

/** Statistics of a JPEG frame; FrameRejectedError when it does not decode. */
export async function computeImageStats(jpeg: Buffer): Promise<ImageStats> {
  let grid: Buffer;
  let channels: number;
  try {
    const { data, info } = await sharp(jpeg, { failOn: 'truncated' })
      // fill: the thumbnail is compared with the same camera's thumbnails only, aspect ratio does not matter.
      .resize(STATS_GRID_PX, STATS_GRID_PX, { fit: 'fill' })
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    grid = data;
    channels = info.channels;
    if (info.width !== STATS_GRID_PX || info.height !== STATS_GRID_PX) {
      throw new Error(`statistics grid came out ${info.width}x${info.height}`);
    }
  } catch (err) {
    throw new FrameRejectedError(`JPEG does not decode: ${String((err as Error).message ?? err).split('\n')[0]}`, {
      reason: 'corrupt',
    });
  }
  return imageStatsOfGrey(channels === 1 ? grid : firstChannel(grid, channels), STATS_GRID_PX);
}

/**
 * Statistics from the whole frame as the detector already has it (its letterbox's picture, packed RGB,
 * resizedWidthPx × resizedHeightPx, no padding): no second decode of the JPEG. The picture is averaged into
 * the same STATS_GRID_PX grid of grey (BT.601 luma) that computeImageStats takes from its own small decode.
 */
export function imageStatsOfLetterbox(
  rgb: Uint8Array,
  letterbox: Pick<Letterbox, 'resizedWidthPx' | 'resizedHeightPx'>,
): ImageStats {
  const { resizedWidthPx: w, resizedHeightPx: h } = letterbox;
  const cells = STATS_GRID_PX * STATS_GRID_PX;
  // Every other pixel of every other row when a cell spans 4 pixels or more each way (~30 samples a cell at
  // 960x544, a quarter of the ~3 CPU ms a frame of reading them all): a cell's mean barely moves, and the
  // rules compare grids of the same camera taken alike.
  const step = Math.min(w, h) >= 4 * STATS_GRID_PX ? SAMPLE_STEP : 1;
  // Integer luma ×256 (BT.601: 77 R + 150 G + 29 B) summed per cell. Cell borders per axis are made once;
  // each sampled row adds one run sum per cell (not one write per pixel); a cell's sample count is its sampled
  // rows × sampled columns.
  const columnStart = cellStarts(w);
  const rowStart = cellStarts(h);
  const sums = new Float64Array(cells);
  for (let cy = 0; cy < STATS_GRID_PX; cy++) {
    const cellRow = cy * STATS_GRID_PX;
    for (let y = firstSample(rowStart[cy]!, step); y < rowStart[cy + 1]!; y += step) {
      for (let cx = 0; cx < STATS_GRID_PX; cx++) {
        let run = 0;
        const end = columnStart[cx + 1]!;
        for (let x = firstSample(columnStart[cx]!, step), i = (y * w + x) * 3; x < end; x += step, i += 3 * step)
          run += 77 * rgb[i]! + 150 * rgb[i + 1]! + 29 * rgb[i + 2]!;
        sums[cellRow + cx]! += run;
      }
    }
  }
  const samples = (starts: Int32Array, cell: number) =>
    Math.ceil(starts[cell + 1]! / step) - Math.ceil(starts[cell]! / step);
  const grey = new Uint8Array(cells);
  // A frame smaller than the grid leaves cells empty: they take their neighbour's value (the left one).
  for (let c = 0; c < cells; c++) {
    const count = samples(rowStart, Math.floor(c / STATS_GRID_PX)) * samples(columnStart, c % STATS_GRID_PX);
    grey[c] = count > 0 ? Math.round(sums[c]! / count / 256) : c > 0 ? grey[c - 1]! : 0;
  }
  return imageStatsOfGrey(grey, STATS_GRID_PX);
}

const SAMPLE_STEP = 2;

/** The first multiple of `step` at or after `p`: samples lie on one lattice across cells. */
function firstSample(p: number, step: number): number {
  return Math.ceil(p / step) * step;
}

/**
 * First pixel of each of the STATS_GRID_PX cells along an axis of `lengthPx` pixels (plus the end): pixel
 * p belongs to cell min(last, floor(p × grid / length)).
 */
function cellStarts(lengthPx: number): Int32Array {
  const starts = new Int32Array(STATS_GRID_PX + 1);
  let cell = 0;
  for (let p = 0; p < lengthPx; p++) {
    const c = Math.min(STATS_GRID_PX - 1, Math.floor((p * STATS_GRID_PX) / lengthPx));
    while (cell < c) starts[++cell] = p;
  }
  while (cell < STATS_GRID_PX) starts[++cell] = lengthPx;
  return starts;
}

/**
 * Statistics of a square grey grid (row-major, one byte per cell) whose side is a multiple of
 * THUMB_SIZE_PX: mean and population standard deviation of the cells, and the thumbnail as the mean of
 * each block of cells.
 */
export function imageStatsOfGrey(grey: Uint8Array, sidePx: number): ImageStats {
  if (sidePx % THUMB_SIZE_PX !== 0 || grey.length !== sidePx * sidePx) {
    throw new RangeError(
      `a ${sidePx}x${sidePx} grid of ${grey.length} bytes cannot make a ${THUMB_SIZE_PX}x${THUMB_SIZE_PX} thumbnail`,
    );
  }
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < grey.length; i++) {
    const v = grey[i]!;
    sum += v;
    sumSquares += v * v;
  }
  const count = grey.length;
  const mean = sum / count;
  const variance = Math.max(0, sumSquares / count - mean * mean);
  return {
    meanLuma: round2(mean),
    stdLuma: round2(Math.sqrt(variance)),
    thumb: thumbnail(grey, sidePx).toString('base64'),
  };
}

function thumbnail(grey: Uint8Array, sidePx: number): Buffer {
  const block = sidePx / THUMB_SIZE_PX;
  const thumb = Buffer.alloc(THUMB_SIZE_PX * THUMB_SIZE_PX);
  for (let ty = 0; ty < THUMB_SIZE_PX; ty++) {
    for (let tx = 0; tx < THUMB_SIZE_PX; tx++) {
      let sum = 0;
      for (let y = ty * block; y < (ty + 1) * block; y++) {
        for (let x = tx * block, row = y * sidePx; x < (tx + 1) * block; x++) sum += grey[row + x]!;
      }
      thumb[ty * THUMB_SIZE_PX + tx] = Math.round(sum / (block * block));
    }
  }
  return thumb;
}

/** greyscale() keeps an alpha channel when the source had one; statistics are of the grey only. */
function firstChannel(data: Buffer, channels: number): Buffer {
  const out = Buffer.alloc(data.length / channels);
  for (let i = 0; i < out.length; i++) out[i] = data[i * channels]!;
  return out;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
