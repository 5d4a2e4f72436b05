// The 16×16 grey thumbnails of ImageStats, compared frame to frame (frozen) and against a learnt
// reference (view changed). Grey levels 0..255; differences are means over the 256 pixels.

export const THUMB_PIXELS = 256;

/** The thumbnail's grey levels; null when it is not 256 bytes of base64 (the frame is then ignored). */
export function decodeThumb(base64: string): Uint8Array | null {
  const bytes = Buffer.from(base64, 'base64');
  return bytes.length === THUMB_PIXELS ? new Uint8Array(bytes) : null;
}

export function encodeThumb(pixels: ArrayLike<number>): string {
  return Buffer.from(Uint8Array.from(pixels)).toString('base64');
}

export function meanAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < THUMB_PIXELS; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / THUMB_PIXELS;
}

function mean(a: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < THUMB_PIXELS; i++) sum += a[i]!;
  return sum / THUMB_PIXELS;
}

/**
 * Mean absolute difference after removing the global brightness offset, so dusk, clouds and the camera's
 * exposure do not read as a moved view; what is left is a change of the scene's layout.
 */
export function offsetFreeDiff(current: ArrayLike<number>, reference: ArrayLike<number>): number {
  const offset = mean(current) - mean(reference);
  let sum = 0;
  for (let i = 0; i < THUMB_PIXELS; i++) sum += Math.abs(current[i]! - reference[i]! - offset);
  return sum / THUMB_PIXELS;
}
