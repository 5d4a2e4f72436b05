// The registry of output adapters by model family: the manifest's `family` picks the decoder,
// so adding a family is one adapter file and one line here.
import type { ModelFamily } from '../../models/manifest.ts';
import { fromPicodet } from './picodet.ts';
import type { ModelOutput, OutputDecoder } from './types.ts';
import { fromUltralytics } from './ultralytics.ts';
import { fromYolox } from './yolox.ts';

const single = (outputs: readonly ModelOutput[]): ModelOutput => outputs[0]!;

export const DECODERS: Readonly<Record<ModelFamily, OutputDecoder>> = {
  yolox: (outputs, meta) => fromYolox(single(outputs), meta),
  ultralytics: (outputs, meta) => fromUltralytics(single(outputs), meta),
  picodet: fromPicodet,
};

export type { DecodeMeta, ModelOutput, OutputDecoder } from './types.ts';
