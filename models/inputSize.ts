// The size a model runs at: its export's by default, another one the manifest accepts when the deployment
// (config inference.inputWidthPx/inputHeightPx) or a camera's analysis plan asks for it. Small far motorbikes
// need the pixels: the same weights find about 2.5x as many at 960x544 as at 416x416 on 1080p frames.
import type { Config } from '../core/config.ts';
import { ConfigInvalidError } from '../core/errors.ts';
import type { InputSizePx, ModelManifestEntry } from './manifest.ts';

export type { InputSizePx } from './manifest.ts';

/** The export's size: the graph as shipped. */
export function exportSizeOf(entry: Pick<ModelManifestEntry, 'input'>): InputSizePx {
  return { widthPx: entry.input.widthPx, heightPx: entry.input.heightPx };
}

/** The size a deployment runs the model at by default: the manifest's measured choice, else the export's. */
export function deploySizeOf(entry: Pick<ModelManifestEntry, 'input'>): InputSizePx {
  const size = entry.input.deploySizePx;
  return size ? { widthPx: size.widthPx, heightPx: size.heightPx } : exportSizeOf(entry);
}

export function sameSize(a: InputSizePx, b: InputSizePx): boolean {
  return a.widthPx === b.widthPx && a.heightPx === b.heightPx;
}

export function sizeKey(size: InputSizePx): string {
  return `${size.widthPx}x${size.heightPx}`;
}

/** Null when the model runs at `size`, else what the manifest accepts instead. */
export function inputSizeProblem(entry: Pick<ModelManifestEntry, 'id' | 'input'>, size: InputSizePx): string | null {
  if (sameSize(size, exportSizeOf(entry))) return null;
  const sizes = entry.input.sizes;
  const name = `${sizeKey(size)} is not an input size of ${entry.id}`;
  if (!sizes) return `${name}: it runs at ${sizeKey(exportSizeOf(entry))} only`;
  if ('listPx' in sizes) {
    if (sizes.listPx.some((s) => sameSize(s, size))) return null;
    return `${name}: it accepts ${[exportSizeOf(entry), ...sizes.listPx].map(sizeKey).join(', ')}`;
  }
  const fits = (px: number) =>
    Number.isInteger(px) && px % sizes.multipleOfPx === 0 && px >= sizes.minPx && px <= sizes.maxPx;
  if (fits(size.widthPx) && fits(size.heightPx)) return null;
  return `${name}: width and height must be multiples of ${sizes.multipleOfPx} from ${sizes.minPx} to ${sizes.maxPx}`;
}

/**
 * The deployment's size for the model (config inference.inputWidthPx and inputHeightPx, 0 for the model's
 * deployment default: deploySizeOf), checked against the manifest once at start: a size it does not accept stops start-up naming the key.
 */
export function configuredInputSize(
  config: Pick<Config, 'inference'>,
  entry: Pick<ModelManifestEntry, 'id' | 'input'>,
): InputSizePx {
  const { inputWidthPx, inputHeightPx } = config.inference;
  if (inputWidthPx === 0 && inputHeightPx === 0) return deploySizeOf(entry);
  if (inputWidthPx === 0 || inputHeightPx === 0) {
    const missing = inputWidthPx === 0 ? 'inference.inputWidthPx' : 'inference.inputHeightPx';
    throw new ConfigInvalidError(
      `${missing}: set both inference.inputWidthPx and inference.inputHeightPx, or neither (the model's default)`,
      {
        field: missing,
      },
    );
  }
  const size = { widthPx: inputWidthPx, heightPx: inputHeightPx };
  const problem = inputSizeProblem(entry, size);
  if (problem) {
    const field =
      inputSizeProblem(entry, { ...size, heightPx: entry.input.heightPx }) === null
        ? 'inference.inputHeightPx'
        : 'inference.inputWidthPx';
    throw new ConfigInvalidError(`${field}: ${problem} (inference.modelId ${entry.id})`, { field });
  }
  return size;
}

/** The manifest's input description at another size: what the letterbox and the tensor fill take. */
export function inputAtSize<T extends ModelManifestEntry['input']>(input: T, size: InputSizePx): T {
  if (sameSize(size, input)) return input;
  return { ...input, widthPx: size.widthPx, heightPx: size.heightPx };
}
