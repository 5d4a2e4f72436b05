// The registry of output adapters by model family: the manifest's `family` picks the decoder,
// so adding a family is one adapter file and one line here.
import type { ModelFamily } from '../../models/manifest.ts';
import type { OutputDecoder } from './types.ts';
import { fromUltralytics } from './ultralytics.ts';
import { fromYolox } from './yolox.ts';

export const DECODERS: Readonly<Record<ModelFamily, OutputDecoder>> = {
  yolox: fromYolox,
  ultralytics: fromUltralytics,
};

export type { DecodeMeta, ModelOutput, OutputDecoder } from './types.ts';
