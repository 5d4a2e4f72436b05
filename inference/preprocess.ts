// JPEG → letterboxed model input with sharp: decoded (once per frame when several regions are analysed),
// cropped, resized and padded in libvips, then written once into the session's reusable Float32 tensor.
import sharp, { type Sharp } from 'sharp';
import { FrameRejectedError } from '../core/errors.ts';
import type { ModelManifestEntry } from '../models/manifest.ts';
import type { Letterbox } from './geometry.ts';
import { readJpegHeader } from './jpegHeader.ts';

/** A decoded frame: packed RGB, 3 bytes per pixel, row by row. */
export interface DecodedImage {
  data: Buffer;
  widthPx: number;
  heightPx: number;
}

export interface JpegSize {
  widthPx: number;
  heightPx: number;
}

// Truncated data fails the frame instead of being silently filled with grey.
const DECODE_OPTIONS = { failOn: 'truncated' } as const;

/** Reads the JPEG header: the frame's size, or FrameRejectedError saying why it is not a usable JPEG. */
export function probeJpeg(jpeg: Buffer): JpegSize {
  const header = readJpegHeader(jpeg);
  if (typeof header === 'string') {
    const reason = jpeg.length === 0 ? 'empty' : header.startsWith('frame is not') ? 'not-jpeg' : 'corrupt';
    throw new FrameRejectedError(header, { reason });
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
 * The letterboxed region as packed RGB of the model's input size. From a JPEG (one region: decode,
 * crop and shrink in one libvips pipeline, with shrink-on-load) or from an already decoded frame.
 */
export async function letterboxRgb(
  source: Buffer | DecodedImage,
  frame: JpegSize,
  letterbox: Letterbox,
  padValue: number,
): Promise<Buffer> {
  let image: Sharp = Buffer.isBuffer(source)
    ? sharp(source, DECODE_OPTIONS)
    : sharp(source.data, { raw: { width: source.widthPx, height: source.heightPx, channels: 3 } });
  const { region } = letterbox;
  const whole = region.x === 0 && region.y === 0 && region.widthPx === frame.widthPx && region.heightPx === frame.heightPx;
  if (!whole) image = image.extract({ left: region.x, top: region.y, width: region.widthPx, height: region.heightPx });
  try {
    const letterboxed = image
      .resize(letterbox.resizedWidthPx, letterbox.resizedHeightPx, { fit: 'fill', kernel: 'linear' })
      .extend({
        right: letterbox.inputWidthPx - letterbox.resizedWidthPx,
        bottom: letterbox.inputHeightPx - letterbox.resizedHeightPx,
        background: { r: padValue, g: padValue, b: padValue },
      });
    let { data, info } = await letterboxed.clone().raw().toBuffer({ resolveWithObject: true });
    // Colour conversion costs ~2 CPU ms a frame: only for the rare greyscale or CMYK JPEG.
    if (info.channels !== 3) {
      ({ data, info } = await letterboxed.toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true }));
    }
    if (info.width !== letterbox.inputWidthPx || info.height !== letterbox.inputHeightPx || info.channels !== 3) {
      throw new Error(`letterbox produced ${info.width}x${info.height}x${info.channels}`);
    }
    return data;
  } catch (err) {
    if (err instanceof FrameRejectedError) throw err;
    throw new FrameRejectedError(`JPEG does not decode: ${firstLine(err)}`, { reason: 'corrupt' });
  }
}

/**
 * Writes packed RGB into `target` as planar NCHW in the model's colour order and scaling:
 * value = (pixel × scale − mean[c]) / std[c]. One pass, no intermediate array.
 */
export function fillInputTensor(rgb: Uint8Array, input: ModelManifestEntry['input'], target: Float32Array): void {
  const plane = input.widthPx * input.heightPx;
  if (rgb.length !== plane * 3 || target.length < plane * 3) {
    throw new RangeError(`input of ${rgb.length} bytes does not fill a ${input.widthPx}x${input.heightPx}x3 tensor`);
  }
  // Source channel (R=0, G=1, B=2) feeding tensor planes 0, 1, 2.
  const order = input.colourOrder === 'BGR' ? [2, 1, 0] : [0, 1, 2];
  for (let c = 0; c < 3; c++) {
    const src = order[c]!;
    const gain = input.scale / input.std[c]!;
    const offset = -input.mean[c]! / input.std[c]!;
    const base = c * plane;
    if (gain === 1 && offset === 0) {
      for (let p = 0, s = src; p < plane; p++, s += 3) target[base + p] = rgb[s]!;
    } else {
      for (let p = 0, s = src; p < plane; p++, s += 3) target[base + p] = rgb[s]! * gain + offset;
    }
  }
}

/** libvips repeats its warnings over several lines; the first one says what is wrong. */
function firstLine(err: unknown): string {
  return String((err as Error).message ?? err).split('\n')[0]!.trim();
}
