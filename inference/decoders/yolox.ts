// YOLOX output adapter: [1, N, 5+C] raw per grid cell over strides 8/16/32 (decode_in_inference off):
// cx=(x+gx)*s, cy=(y+gy)*s, w=exp(w)*s, h=exp(h)*s; score = objectness × best class probability.
import { ValidationError } from '../../core/errors.ts';
import { CandidateList } from '../candidates.ts';
import { boxesToSource } from '../geometry.ts';
import type { DecodeMeta, ModelOutput } from './types.ts';

export const YOLOX_STRIDES = [8, 16, 32] as const;

/** Number of grid cells YOLOX predicts for an input size: 3549 at 416×416. */
export function yoloxCellCount(inputWidthPx: number, inputHeightPx: number): number {
  return YOLOX_STRIDES.reduce((sum, s) => sum + Math.floor(inputWidthPx / s) * Math.floor(inputHeightPx / s), 0);
}

export function fromYolox(output: ModelOutput, meta: DecodeMeta): CandidateList {
  const rowLength = 5 + meta.classCount;
  return decodeCells(output, meta, rowLength, (data, o) => {
    let bestClass = 0;
    let bestProb = data[o + 5]!;
    for (let k = 1; k < meta.classCount; k++) {
      const p = data[o + 5 + k]!;
      if (p > bestProb) {
        bestProb = p;
        bestClass = k;
      }
    }
    BEST[0] = bestProb;
    BEST[1] = bestClass;
    return BEST;
  });
}

/**
 * The output of the YOLOX best-class tail (inference/yoloxBestClass.ts): [1, N, 7] rows of the four raw box
 * values, objectness, best class probability and that class's id (as a float), the same candidates as
 * fromYolox on the full output.
 */
export function fromYoloxBestClass(output: ModelOutput, meta: DecodeMeta): CandidateList {
  return decodeCells(output, meta, YOLOX_BEST_CLASS_ROW, (data, o) => {
    BEST[0] = data[o + 5]!;
    BEST[1] = data[o + 6]!;
    return BEST;
  });
}

/** Row length of the best-class tail's output: box (4), objectness, best probability, best class. */
export const YOLOX_BEST_CLASS_ROW = 7;

/** [probability, class id] of a cell's best class; one shared pair, read at once by decodeCells. */
const BEST = new Float64Array(2);

function decodeCells(
  output: ModelOutput,
  meta: DecodeMeta,
  rowLength: number,
  bestClassOf: (data: Float32Array, rowOffset: number) => Float64Array,
): CandidateList {
  const { inputWidthPx, inputHeightPx } = meta.letterbox;
  const cells = yoloxCellCount(inputWidthPx, inputHeightPx);
  const [batch, n, c] = output.dims;
  if (output.dims.length !== 3 || batch !== 1 || n !== cells || c !== rowLength) {
    throw new ValidationError(
      `YOLOX output dims [${output.dims.join(',')}] do not match [1,${cells},${rowLength}] for a ${inputWidthPx}x${inputHeightPx} input`,
    );
  }
  const data = output.data;
  const list = new CandidateList();
  let cell = 0;
  for (const stride of YOLOX_STRIDES) {
    const gridW = Math.floor(inputWidthPx / stride);
    const gridH = Math.floor(inputHeightPx / stride);
    for (let gy = 0; gy < gridH; gy++) {
      for (let gx = 0; gx < gridW; gx++, cell++) {
        const o = cell * rowLength;
        const objectness = data[o + 4]!;
        if (objectness < meta.minScore) continue; // score ≤ objectness: nothing in this cell can pass
        const best = bestClassOf(data, o);
        const score = objectness * best[0]!;
        if (score < meta.minScore) continue;
        const cx = (data[o]! + gx) * stride;
        const cy = (data[o + 1]! + gy) * stride;
        const halfW = (Math.exp(data[o + 2]!) * stride) / 2;
        const halfH = (Math.exp(data[o + 3]!) * stride) / 2;
        list.push(cx - halfW, cy - halfH, cx + halfW, cy + halfH, score, best[1]!);
      }
    }
  }
  boxesToSource(list.boxes, list.count, meta.letterbox);
  return list;
}
