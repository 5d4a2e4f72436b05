import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../core/config.ts';
import { ConfigInvalidError } from '../../../core/errors.ts';
import { configuredInputSize, inputAtSize, inputSizeProblem } from '../../../models/inputSize.ts';
import { findManifestEntry, type ModelManifestEntry } from '../../../models/manifest.ts';

const yolox = findManifestEntry('yolox_nano')!;
const fixed: ModelManifestEntry = {
  ...yolox,
  id: 'fixed',
  input: { ...yolox.input, sizes: undefined, deploySizePx: undefined },
};
const listed: ModelManifestEntry = {
  ...yolox,
  id: 'listed',
  input: { ...yolox.input, sizes: { listPx: [{ widthPx: 640, heightPx: 384 }] } },
};

function configWith(inputWidthPx: number, inputHeightPx: number) {
  return loadConfig({ env: {}, overrides: { inference: { inputWidthPx, inputHeightPx } } });
}

describe('model input size', () => {
  it('accepts the export size, and multiples of 32 in range where the manifest says so', () => {
    expect(inputSizeProblem(yolox, { widthPx: 416, heightPx: 416 })).toBeNull();
    expect(inputSizeProblem(yolox, { widthPx: 960, heightPx: 544 })).toBeNull();
    expect(inputSizeProblem(yolox, { widthPx: 960, heightPx: 540 })).toMatch(/multiples of 32 from 128 to 1920/);
    expect(inputSizeProblem(yolox, { widthPx: 2048, heightPx: 1152 })).toMatch(/multiples of 32/);
  });

  it('accepts only the listed sizes of a list, and only the export size of a model without sizes', () => {
    expect(inputSizeProblem(listed, { widthPx: 640, heightPx: 384 })).toBeNull();
    expect(inputSizeProblem(listed, { widthPx: 960, heightPx: 544 })).toMatch(/accepts 416x416, 640x384/);
    expect(inputSizeProblem(fixed, { widthPx: 960, heightPx: 544 })).toMatch(/runs at 416x416 only/);
  });

  it("takes the manifest's deployment size (else the export's) when the config sets neither key, and the configured size when it is accepted", () => {
    expect(configuredInputSize(configWith(0, 0), yolox)).toEqual({ widthPx: 960, heightPx: 544 });
    expect(configuredInputSize(configWith(0, 0), fixed)).toEqual({ widthPx: 416, heightPx: 416 });
    expect(configuredInputSize(configWith(960, 544), yolox)).toEqual({ widthPx: 960, heightPx: 544 });
  });

  it('stops start-up naming the key when a configured size is not accepted or half set', () => {
    const failure = (w: number, h: number) => {
      try {
        configuredInputSize(configWith(w, h), yolox);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigInvalidError);
        return { field: (err as ConfigInvalidError).details.field, message: (err as Error).message };
      }
      throw new Error('accepted');
    };
    expect(failure(960, 540)).toMatchObject({
      field: 'inference.inputHeightPx',
      message: expect.stringMatching(/^inference\.inputHeightPx: 960x540/),
    });
    expect(failure(950, 544).field).toBe('inference.inputWidthPx');
    expect(failure(960, 0).field).toBe('inference.inputHeightPx');
  });

  it('reads the keys from the environment', () => {
    const config = loadConfig({ env: { IOC_INFERENCE_INPUT_WIDTH_PX: '640', IOC_INFERENCE_INPUT_HEIGHT_PX: '384' } });
    expect(configuredInputSize(config, yolox)).toEqual({ widthPx: 640, heightPx: 384 });
  });

  it('describes the input at another size for the letterbox and the tensor fill, keeping the rest', () => {
    const input = inputAtSize(yolox.input, { widthPx: 960, heightPx: 544 });
    expect(input).toMatchObject({ name: 'images', widthPx: 960, heightPx: 544, colourOrder: 'BGR', padValue: 114 });
    expect(inputAtSize(yolox.input, { widthPx: 416, heightPx: 416 })).toBe(yolox.input);
  });
});
