import { readFile } from 'node:fs/promises';
import ort from 'onnxruntime-node';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { computeLetterbox } from '../../../inference/geometry.ts';
import { inputAtSize } from '../../../models/inputSize.ts';
import { resolveModelFile } from '../../../models/modelFiles.ts';
import {
  decodeModel,
  dropInitializerInputs,
  encodeModel,
  prepareModelGraph,
  setInputSize,
} from '../../../inference/onnxGraph.ts';
import { fillInputTensor, fillPackedRgb, letterboxRgb, resizeRegionRgb } from '../../../inference/preprocess.ts';
import { PACKED_RGB_INPUT } from '../../../inference/packedRgbInput.ts';
import { appendYoloxBestClass, YOLOX_BEST_CLASS_OUTPUT } from '../../../inference/yoloxBestClass.ts';
import { fromYolox, fromYoloxBestClass } from '../../../inference/decoders/yolox.ts';
import {
  findManifestEntry,
  outputNamesOf,
  type InputSizePx,
  type ModelManifestEntry,
} from '../../../models/manifest.ts';
import { readAsset, testConfig } from './helpers.ts';

const config = testConfig();
const yolox = findManifestEntry('yolox_nano')!;
const picodet = findManifestEntry('picodet_s')!;
const EXPORT = { widthPx: 416, heightPx: 416 };

/** dog.jpg letterboxed for the model at `size`, as the detector feeds it. */
async function dogTensor(entry: ModelManifestEntry, size: InputSizePx): Promise<ort.Tensor> {
  const jpeg = await readAsset(config, 'images/dog.jpg');
  const meta = await sharp(jpeg).metadata();
  const frame = { widthPx: meta.width!, heightPx: meta.height! };
  const letterbox = computeLetterbox({ x: 0, y: 0, ...frame }, size.widthPx, size.heightPx);
  const input = inputAtSize(entry.input, size);
  const data = new Float32Array(3 * size.widthPx * size.heightPx);
  fillInputTensor(await letterboxRgb(jpeg, frame, letterbox, input.padValue), input, data);
  return new ort.Tensor('float32', data, [1, 3, size.heightPx, size.widthPx]);
}

async function run(model: string | Uint8Array, entry: ModelManifestEntry, tensor: ort.Tensor): Promise<ort.Tensor[]> {
  const options = { intraOpNumThreads: 1, logSeverityLevel: 3 } as const;
  const session =
    typeof model === 'string'
      ? await ort.InferenceSession.create(model, options)
      : await ort.InferenceSession.create(model, options);
  try {
    const results = await session.run({ [entry.input.name]: tensor });
    return outputNamesOf(entry).map((name) => results[name]!);
  } finally {
    await session.release();
  }
}

function largestDifference(a: ort.Tensor[], b: ort.Tensor[]): number {
  let worst = 0;
  a.forEach((t, i) => {
    const x = t.data as Float32Array;
    const y = b[i]!.data as Float32Array;
    expect(y.length).toBe(x.length);
    for (let k = 0; k < x.length; k++) worst = Math.max(worst, Math.abs(x[k]! - y[k]!));
  });
  return worst;
}

describe('ONNX graph rewritten at load', () => {
  it('gives yolox_nano the same outputs as the file when rewritten at its own size (dims set, shape info cleared)', async () => {
    const path = await resolveModelFile(config, yolox);
    const model = decodeModel(await readFile(path));
    setInputSize(model, { inputName: 'images', exportSizePx: EXPORT, sizePx: EXPORT, spatialReshapeConstants: true });
    expect(model.graph!.output![0]!.type!.tensorType!.shape).toBeNull();
    const tensor = await dogTensor(yolox, EXPORT);
    const original = await run(path, yolox, tensor);
    const rewritten = await run(encodeModel(model), yolox, tensor);
    expect(rewritten[0]!.dims).toEqual([1, 3549, 85]);
    expect(largestDifference(original, rewritten)).toBe(0);
  });

  it('gives picodet_s the same outputs as the file with its initializers dropped from the inputs and rewritten at its own size', async () => {
    const path = await resolveModelFile(config, picodet);
    const model = decodeModel(await readFile(path));
    expect(dropInitializerInputs(model)).toBe(279);
    expect(model.graph!.input!.map((i) => i.name)).toEqual(['image']);
    setInputSize(model, { inputName: 'image', exportSizePx: EXPORT, sizePx: EXPORT, spatialReshapeConstants: true });
    const tensor = await dogTensor(picodet, EXPORT);
    const original = await run(path, picodet, tensor);
    const rewritten = await run(encodeModel(model), picodet, tensor);
    expect(rewritten.map((t) => t.dims)).toEqual(original.map((t) => t.dims));
    // Constant folding may reorder float arithmetic: equal to float rounding.
    expect(largestDifference(original, rewritten)).toBeLessThan(1e-4);
  });

  it('runs yolox_nano at 960x544: output [1,10710,85]', async () => {
    const size = { widthPx: 960, heightPx: 544 };
    const graph = prepareModelGraph(await readFile(await resolveModelFile(config, yolox)), {
      inputName: 'images',
      exportSizePx: EXPORT,
      sizePx: size,
      spatialReshapeConstants: false,
    });
    expect(graph.rewritten).toBe(true);
    const [output] = await run(graph.bytes, yolox, await dogTensor(yolox, size));
    expect(output!.dims).toEqual([1, 10710, 85]);
  });

  it('runs picodet_s at 960x544 once its channel-shuffle reshapes are rewritten: grids of ceil(size / stride)', async () => {
    const size = { widthPx: 960, heightPx: 544 };
    const bytes = await readFile(await resolveModelFile(config, picodet));
    const graph = prepareModelGraph(bytes, {
      inputName: 'image',
      exportSizePx: EXPORT,
      sizePx: size,
      spatialReshapeConstants: true,
    });
    expect(graph.reshapeConstants).toBe(6);
    expect(graph.droppedInputs).toBe(279);
    const outputs = await run(graph.bytes, picodet, await dogTensor(picodet, size));
    const cells = [8, 16, 32, 64].map((s) => Math.ceil(960 / s) * Math.ceil(544 / s));
    expect(outputs.map((t) => t.dims)).toEqual([...cells.map((n) => [1, n, 80]), ...cells.map((n) => [1, n, 32])]);
    // Without the constants rewritten the graph refuses the size.
    const unshuffled = prepareModelGraph(bytes, {
      inputName: 'image',
      exportSizePx: EXPORT,
      sizePx: size,
      spatialReshapeConstants: false,
    });
    await expect(run(unshuffled.bytes, picodet, await dogTensor(picodet, size))).rejects.toThrow();
  });

  it('leaves a graph with nothing to change as the file was', async () => {
    const bytes = await readFile(await resolveModelFile(config, yolox));
    const graph = prepareModelGraph(bytes, {
      inputName: 'images',
      exportSizePx: EXPORT,
      sizePx: EXPORT,
      spatialReshapeConstants: false,
    });
    expect(graph.rewritten).toBe(false);
    expect(graph.bytes).toBe(bytes);
  });

  it('takes packed RGB bytes in place of the float input: yolox_nano (BGR) exactly, picodet_s (normalised) to float rounding', async () => {
    const size = { widthPx: 960, heightPx: 544 };
    const jpeg = await readAsset(config, 'images/dog.jpg');
    const meta = await sharp(jpeg).metadata();
    const frame = { widthPx: meta.width!, heightPx: meta.height! };
    const letterbox = computeLetterbox({ x: 0, y: 0, ...frame }, size.widthPx, size.heightPx);
    const picture = await resizeRegionRgb(jpeg, frame, letterbox);
    for (const entry of [yolox, picodet]) {
      const rewrite = {
        inputName: entry.input.name,
        exportSizePx: EXPORT,
        sizePx: size,
        spatialReshapeConstants: entry.spatialReshapeConstants ?? false,
      };
      const bytes = await readFile(await resolveModelFile(config, entry));
      const plain = prepareModelGraph(bytes, rewrite);
      const packed = prepareModelGraph(bytes, { ...rewrite, packedRgb: entry.input });
      expect(packed.packedRgb).toBe(true);
      const input = inputAtSize(entry.input, size);
      const rgb = new Uint8Array(size.widthPx * size.heightPx * 3);
      fillPackedRgb(picture, input, rgb, { widthPx: letterbox.resizedWidthPx, heightPx: letterbox.resizedHeightPx });
      const fromPacked = await run(
        packed.bytes,
        { ...entry, input: { ...entry.input, name: PACKED_RGB_INPUT } },
        new ort.Tensor('uint8', rgb, [1, size.heightPx, size.widthPx, 3]),
      );
      const fromFloat = await run(plain.bytes, entry, await dogTensor(entry, size));
      expect(fromPacked.map((t) => t.dims)).toEqual(fromFloat.map((t) => t.dims));
      // YOLOX: the same integers reordered and cast. PicoDet: (x − mean) / std as a multiply and an add in float32.
      expect(largestDifference(fromFloat, fromPacked)).toBeLessThan(entry === yolox ? 1e-6 : 2e-3);
    }
  });

  it("gives yolox_nano's best-class tail the same candidates as the full output, from a 12x smaller tensor", async () => {
    const size = { widthPx: 960, heightPx: 544 };
    const bytes = await readFile(await resolveModelFile(config, yolox));
    const rewrite = { inputName: 'images', exportSizePx: EXPORT, sizePx: size, spatialReshapeConstants: false };
    const full = prepareModelGraph(bytes, rewrite);
    const tailed = prepareModelGraph(bytes, { ...rewrite, appendTail: (m) => appendYoloxBestClass(m, 'output') });
    const tensor = await dogTensor(yolox, size);
    const [fullOutput] = await run(full.bytes, yolox, tensor);
    const [bestOutput] = await run(tailed.bytes, { ...yolox, output: { name: YOLOX_BEST_CLASS_OUTPUT } }, tensor);
    expect(bestOutput!.dims).toEqual([1, 10710, 7]);
    const jpegFrame = { x: 0, y: 0, widthPx: 768, heightPx: 576 };
    const meta = { letterbox: computeLetterbox(jpegFrame, 960, 544), classCount: 80, minScore: 0.05 };
    const a = fromYolox({ data: fullOutput!.data as Float32Array, dims: fullOutput!.dims }, meta);
    const b = fromYoloxBestClass({ data: bestOutput!.data as Float32Array, dims: bestOutput!.dims }, meta);
    expect(a.count).toBeGreaterThan(3);
    expect(b.count).toBe(a.count);
    expect(Array.from(b.classIds.subarray(0, b.count))).toEqual(Array.from(a.classIds.subarray(0, a.count)));
    expect(Array.from(b.scores.subarray(0, b.count))).toEqual(Array.from(a.scores.subarray(0, a.count)));
    expect(Array.from(b.boxes.subarray(0, 4 * b.count))).toEqual(Array.from(a.boxes.subarray(0, 4 * a.count)));
  });
});
