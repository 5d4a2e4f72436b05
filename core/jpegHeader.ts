// The one JPEG header reader: ingest reads each split image's size with it, and the worker checks a frame's
// declared size with it before decoding. Plain JS over a few markers, cheaper than asking libvips.
import type { FrameSizePx } from './geometry.ts';

export interface JpegHeader {
  widthPx: number;
  heightPx: number;
  components: number;
}

/** Why bytes are not a JPEG with a usable header: a stable reason and a sentence for the log. */
export interface JpegHeaderProblem {
  reason: 'empty' | 'not-jpeg' | 'corrupt';
  message: string;
}

// Start-of-frame markers: baseline, extended, progressive, lossless (and their arithmetic-coded forms).
const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/** The frame header (size and components), or null when the bytes are not a JPEG with a usable one (0×0 included). */
export function readJpegHeader(jpeg: Uint8Array): JpegHeader | null {
  const scanned = scanJpegHeader(jpeg);
  return 'message' in scanned ? null : scanned;
}

/** Just the pixel size from readJpegHeader (a frame's widthPx and heightPx), or null as it. */
export function readJpegSize(jpeg: Uint8Array): FrameSizePx | null {
  const header = readJpegHeader(jpeg);
  return header && { widthPx: header.widthPx, heightPx: header.heightPx };
}

/** Why readJpegHeader answers null for these bytes, or null when it does not. */
export function jpegHeaderProblem(jpeg: Uint8Array): JpegHeaderProblem | null {
  const scanned = scanJpegHeader(jpeg);
  return 'message' in scanned ? scanned : null;
}

function scanJpegHeader(jpeg: Uint8Array): JpegHeader | JpegHeaderProblem {
  if (jpeg.length === 0) return { reason: 'empty', message: 'frame is empty (0 bytes)' };
  if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) {
    const start = Buffer.from(jpeg.subarray(0, 4)).toString('hex');
    return { reason: 'not-jpeg', message: `frame is not a JPEG (starts with 0x${start})` };
  }
  const corrupt = (message: string): JpegHeaderProblem => ({ reason: 'corrupt', message });
  let offset = 2;
  while (offset + 4 <= jpeg.length) {
    if (jpeg[offset] !== 0xff) return corrupt(`JPEG header is corrupt: no marker at byte ${offset}`);
    const marker = jpeg[offset + 1]!;
    if (marker === 0xff) {
      offset++; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2; // markers without a length
      continue;
    }
    const length = (jpeg[offset + 2]! << 8) | jpeg[offset + 3]!;
    if (length < 2) return corrupt(`JPEG header is corrupt: segment length ${length} at byte ${offset}`);
    if (SOF_MARKERS.has(marker)) {
      if (offset + 9 >= jpeg.length) break;
      const heightPx = (jpeg[offset + 5]! << 8) | jpeg[offset + 6]!;
      const widthPx = (jpeg[offset + 7]! << 8) | jpeg[offset + 8]!;
      const components = jpeg[offset + 9]!;
      if (widthPx === 0 || heightPx === 0) return corrupt(`JPEG header is corrupt: size ${widthPx}x${heightPx}`);
      return { widthPx, heightPx, components };
    }
    if (marker === 0xda || marker === 0xd9)
      return corrupt('JPEG header is corrupt: image data before any frame header');
    offset += 2 + length;
  }
  return corrupt('JPEG header is truncated: no frame header');
}
