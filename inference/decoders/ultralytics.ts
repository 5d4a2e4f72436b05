// Ultralytics YOLOv8/YOLO11 output adapter: [1, 4+C, N] (channels first, as `yolo export format=onnx`
// writes it; [1, N, 4+C] is accepted too): cx, cy, w, h in input pixels, then C class scores, no objectness.
import { ValidationError } from '../../core/errors.ts';
import { CandidateList } from '../candidates.ts';
import { boxesToSource } from '../geometry.ts';
import type { DecodeMeta, ModelOutput } from './types.ts';

export function fromUltralytics(output: ModelOutput, meta: DecodeMeta): CandidateList {
  const channels = 4 + meta.classCount;
  const [batch, d1, d2] = output.dims;
  if (output.dims.length !== 3 || batch !== 1 || (d1 !== channels && d2 !== channels)) {
    throw new ValidationError(
      `Ultralytics output dims [${output.dims.join(',')}] have no axis of 4+${meta.classCount}`,
    );
  }
  const channelsFirst = d1 === channels;
  const anchors = channelsFirst ? d2! : d1!;
  // value(channel, anchor) without transposing the tensor.
  const channelStride = channelsFirst ? anchors : 1;
  const anchorStride = channelsFirst ? 1 : channels;
  const data = output.data;
  const list = new CandidateList();
  for (let a = 0; a < anchors; a++) {
    const base = a * anchorStride;
    let bestClass = 0;
    let bestScore = data[base + 4 * channelStride]!;
    for (let k = 1; k < meta.classCount; k++) {
      const s = data[base + (4 + k) * channelStride]!;
      if (s > bestScore) {
        bestScore = s;
        bestClass = k;
      }
    }
    if (bestScore < meta.minScore) continue;
    const cx = data[base]!;
    const cy = data[base + channelStride]!;
    const halfW = data[base + 2 * channelStride]! / 2;
    const halfH = data[base + 3 * channelStride]! / 2;
    list.push(cx - halfW, cy - halfH, cx + halfW, cy + halfH, bestScore, bestClass);
  }
  boxesToSource(list.boxes, list.count, meta.letterbox);
  return list;
}

/** Alias under the name the wider ecosystem uses for this output format. */
export const fromYolov8 = fromUltralytics;
