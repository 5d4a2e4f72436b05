// JPEG → letterboxed model input with sharp: decoded (once per frame when several regions are analysed),
// cropped and resized in libvips, then copied once into the session's reusable packed input (the graph makes
// the float tensor). fillInputTensor makes that tensor in JavaScript, for a plain graph (bench's raw onnxruntime).
import sharp, { type Sharp } from 'sharp';
import { FrameRejectedError } from '../core/errors.ts';
import type { FrameSizePx } from '../core/geometry.ts';
import { jpegHeaderProblem, readJpegHeader } from '../core/jpegHeader.ts';
import type { ModelManifestEntry } from '../models/manifest.ts';
import { isWholeFrame, type Letterbox } from './geometry.ts';

/** A decoded frame: packed RGB, 3 bytes per pixel, row by row. */
export interface DecodedImage {
  data: Buffer;
  widthPx: number;
  heightPx: number;
}

// Truncated data fails the frame instead of being silently filled with grey.
const DECODE_OPTIONS = { failOn: 'truncated' } as const;

/**
 * Reads the JPEG header: the frame's size, or FrameRejectedError saying why it is not a usable JPEG, or that it
 * is not of the size its producer declared (`expected`).
 */
export function probeJpeg(jpeg: Buffer, expected?: FrameSizePx): FrameSizePx {
  const header = readJpegHeader(jpeg);
  if (!header) {
    const problem = jpegHeaderProblem(jpeg)!;
    throw new FrameRejectedError(problem.message, { reason: problem.reason });
  }
  if (expected && (expected.widthPx !== header.widthPx || expected.heightPx !== header.heightPx)) {
    throw new FrameRejectedError(
      `frame declared ${expected.widthPx}x${expected.heightPx} but the JPEG is ${header.widthPx}x${header.heightPx}`,
      { reason: 'size-mismatch' },
    );
  }
  return { widthPx: header.widthPx, heightPx: header.heightPx };
}

/** Decodes the whole JPEG to packed RGB, once, for frames analysed in several regions. */
export async function decodeJpeg(jpeg: Buffer): Promise<DecodedImage> {
  try {
    const { data, info } = await sharp(jpeg, DECODE_OPTIONS)
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels, not 3`);
    return { data, widthPx: info.width, heightPx: info.height };
  } catch (err) {
    throw new FrameRejectedError(`JPEG does not decode: ${firstLine(err)}`, { reason: 'corrupt' });
  }
}

/**
 * The letterbox's picture: the region resized to resizedWidthPx × resizedHeightPx, packed RGB, without the
 * padding (fillInputTensor writes the padding straight into the tensor, so libvips never makes the padded copy).
 * From a JPEG (one region: decode, crop and shrink in one libvips pipeline, with shrink-on-load) or from an
 * already decoded frame.
 */
export async function resizeRegionRgb(
  source: Buffer | DecodedImage,
  frame: FrameSizePx,
  letterbox: Letterbox,
): Promise<Buffer> {
  const { region, resizedWidthPx, resizedHeightPx } = letterbox;
  const whole = isWholeFrame(region, frame);
  const pipeline = (): Sharp => {
    let image: Sharp = Buffer.isBuffer(source)
      ? sharp(source, DECODE_OPTIONS)
      : sharp(source.data, { raw: { width: source.widthPx, height: source.heightPx, channels: 3 } });
    if (!whole)
      image = image.extract({ left: region.x, top: region.y, width: region.widthPx, height: region.heightPx });
    return image.resize(resizedWidthPx, resizedHeightPx, { fit: 'fill', kernel: 'linear' });
  };
  try {
    let { data, info } = await pipeline().raw().toBuffer({ resolveWithObject: true });
    // Colour conversion costs ~2 CPU ms a frame: only for the rare greyscale or CMYK JPEG (a second pipeline
    // rather than a clone() of the first on every frame).
    if (info.channels !== 3) {
      ({ data, info } = await pipeline()
        .toColourspace('srgb')
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true }));
    }
    if (info.width !== resizedWidthPx || info.height !== resizedHeightPx || info.channels !== 3) {
      throw new Error(`letterbox produced ${info.width}x${info.height}x${info.channels}`);
    }
    return data;
  } catch (err) {
    if (err instanceof FrameRejectedError) throw err;
    throw new FrameRejectedError(`JPEG does not decode: ${firstLine(err)}`, { reason: 'corrupt' });
  }
}

/** The letterboxed region as packed RGB of the model's input size: the resized picture, padded right and below. */
export async function letterboxRgb(
  source: Buffer | DecodedImage,
  frame: FrameSizePx,
  letterbox: Letterbox,
  padValue: number,
): Promise<Buffer> {
  const picture = await resizeRegionRgb(source, frame, letterbox);
  const { resizedWidthPx, resizedHeightPx, inputWidthPx, inputHeightPx } = letterbox;
  const padded = Buffer.alloc(inputWidthPx * inputHeightPx * 3, padValue);
  for (let y = 0; y < resizedHeightPx; y++)
    picture.copy(padded, y * inputWidthPx * 3, y * resizedWidthPx * 3, (y + 1) * resizedWidthPx * 3);
  return padded;
}

/**
 * Writes the letterbox's picture (packed RGB, `picture` sized, top left) into the packed input of the model's
 * size, and the pad value around it: the graph converts it to the model's own input (inference/packedRgbInput.ts).
 * Row copies and fills, no per-pixel work.
 */
export function fillPackedRgb(
  rgb: Uint8Array,
  input: Pick<ModelManifestEntry['input'], 'widthPx' | 'heightPx' | 'padValue'>,
  target: Uint8Array,
  picture: FrameSizePx = { widthPx: input.widthPx, heightPx: input.heightPx },
): void {
  const rowBytes = input.widthPx * 3;
  const pictureRowBytes = picture.widthPx * 3;
  if (
    picture.widthPx > input.widthPx ||
    picture.heightPx > input.heightPx ||
    rgb.length !== pictureRowBytes * picture.heightPx ||
    target.length < rowBytes * input.heightPx
  ) {
    throw new RangeError(
      `input of ${rgb.length} bytes (${picture.widthPx}x${picture.heightPx}) does not fit a ${input.widthPx}x${input.heightPx}x3 input`,
    );
  }
  if (pictureRowBytes === rowBytes) target.set(rgb);
  else
    for (let y = 0; y < picture.heightPx; y++) {
      target.set(rgb.subarray(y * pictureRowBytes, (y + 1) * pictureRowBytes), y * rowBytes);
      target.fill(input.padValue, y * rowBytes + pictureRowBytes, (y + 1) * rowBytes);
    }
  target.fill(input.padValue, picture.heightPx * rowBytes, input.heightPx * rowBytes);
}

/**
 * Writes packed RGB into `target` as planar NCHW in the model's colour order and scaling:
 * value = (pixel × scale − mean[c]) / std[c]. With `picture` smaller than the input, `rgb` holds that picture
 * (top left, as letterboxed) and the rest of each plane is the pad value, scaled alike. One pass over the
 * pixels (each read once, three planes written), no intermediate array.
 */
export function fillInputTensor(
  rgb: Uint8Array,
  input: ModelManifestEntry['input'],
  target: Float32Array,
  picture: FrameSizePx = { widthPx: input.widthPx, heightPx: input.heightPx },
): void {
  const plane = input.widthPx * input.heightPx;
  const { widthPx, heightPx } = picture;
  if (
    widthPx > input.widthPx ||
    heightPx > input.heightPx ||
    rgb.length !== widthPx * heightPx * 3 ||
    target.length < plane * 3
  ) {
    throw new RangeError(
      `input of ${rgb.length} bytes (${widthPx}x${heightPx}) does not fit a ${input.widthPx}x${input.heightPx}x3 tensor`,
    );
  }
  // Tensor plane fed by source channel R, G and B.
  const [planeOfR, planeOfG, planeOfB] = input.colourOrder === 'BGR' ? [2, 1, 0] : [0, 1, 2];
  const gain = [0, 1, 2].map((c) => input.scale / input.std[c]!);
  const offset = [0, 1, 2].map((c) => -input.mean[c]! / input.std[c]!);
  const r = planeOfR! * plane;
  const g = planeOfG! * plane;
  const b = planeOfB! * plane;
  const [gainR, gainG, gainB] = [gain[planeOfR!]!, gain[planeOfG!]!, gain[planeOfB!]!];
  const [offsetR, offsetG, offsetB] = [offset[planeOfR!]!, offset[planeOfG!]!, offset[planeOfB!]!];
  const identity = gain.every((v) => v === 1) && offset.every((v) => v === 0);
  for (let y = 0, s = 0; y < heightPx; y++) {
    const row = y * input.widthPx;
    if (identity) {
      for (let p = row, end = row + widthPx; p < end; p++, s += 3) {
        target[r + p] = rgb[s]!;
        target[g + p] = rgb[s + 1]!;
        target[b + p] = rgb[s + 2]!;
      }
    } else {
      for (let p = row, end = row + widthPx; p < end; p++, s += 3) {
        target[r + p] = rgb[s]! * gainR + offsetR;
        target[g + p] = rgb[s + 1]! * gainG + offsetG;
        target[b + p] = rgb[s + 2]! * gainB + offsetB;
      }
    }
  }
  if (widthPx === input.widthPx && heightPx === input.heightPx) return;
  for (let c = 0; c < 3; c++) {
    const base = c * plane;
    const pad = input.padValue * gain[c]! + offset[c]!;
    // Right of the picture on each of its rows, then every row below it.
    if (widthPx < input.widthPx)
      for (let y = 0; y < heightPx; y++)
        target.fill(pad, base + y * input.widthPx + widthPx, base + (y + 1) * input.widthPx);
    target.fill(pad, base + heightPx * input.widthPx, base + plane);
  }
}

/** libvips repeats its warnings over several lines; the first one says what is wrong. */
function firstLine(err: unknown): string {
  return String((err as Error).message ?? err)
    .split('\n')[0]!
    .trim();
}
