// Output tails by model family: nodes appended to the graph at load that shrink what a frame's run hands back
// from onnxruntime, with the decoder of the shrunk output. A family without one keeps its full output and
// its decoder in decoders/index.ts.
import type onnxProto from 'onnx-proto';
import type { ModelFamily } from '../models/manifest.ts';
import { DECODERS, type OutputDecoder } from './decoders/index.ts';
import { fromYoloxBestClass } from './decoders/yolox.ts';
import { appendYoloxBestClass, YOLOX_BEST_CLASS_OUTPUT } from './yoloxBestClass.ts';

export interface OutputTail {
  /** The graph's outputs once the tail is appended, in the order `decode` takes them. */
  outputNames: readonly string[];
  /** Appends the tail to the graph whose outputs the manifest names `manifestOutputs`. */
  append(model: onnxProto.onnx.ModelProto, manifestOutputs: readonly string[]): void;
  decode: OutputDecoder;
}

export const OUTPUT_TAILS: Readonly<Partial<Record<ModelFamily, OutputTail>>> = {
  yolox: {
    outputNames: [YOLOX_BEST_CLASS_OUTPUT],
    append: (model, manifestOutputs) => appendYoloxBestClass(model, manifestOutputs[0]!),
    decode: (outputs, meta) => fromYoloxBestClass(outputs[0]!, meta),
  },
};

/** The decoder of what the family's session pool returns: its tail's output, else its full output. */
export function decoderOf(family: ModelFamily): OutputDecoder {
  return OUTPUT_TAILS[family]?.decode ?? DECODERS[family];
}
