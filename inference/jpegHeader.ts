// Reads a JPEG's pixel size from its SOF marker in plain JS: the worker checks every frame's declared
// size before decoding it, and asking libvips for the header costs more than the scan of a few markers.

export interface JpegHeader {
  widthPx: number;
  heightPx: number;
  components: number;
}

// Start-of-frame markers: baseline, extended, progressive, lossless (and their arithmetic-coded forms).
const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/** The frame header, or a string saying why the bytes are not a JPEG with a readable header. */
export function readJpegHeader(jpeg: Uint8Array): JpegHeader | string {
  if (jpeg.length === 0) return 'frame is empty (0 bytes)';
  if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) {
    return `frame is not a JPEG (starts with 0x${Buffer.from(jpeg.subarray(0, 4)).toString('hex')})`;
  }
  let offset = 2;
  while (offset + 4 <= jpeg.length) {
    if (jpeg[offset] !== 0xff) return `JPEG header is corrupt: no marker at byte ${offset}`;
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
    if (length < 2) return `JPEG header is corrupt: segment length ${length} at byte ${offset}`;
    if (SOF_MARKERS.has(marker)) {
      if (offset + 9 >= jpeg.length) break;
      const heightPx = (jpeg[offset + 5]! << 8) | jpeg[offset + 6]!;
      const widthPx = (jpeg[offset + 7]! << 8) | jpeg[offset + 8]!;
      const components = jpeg[offset + 9]!;
      if (widthPx === 0 || heightPx === 0) return `JPEG header is corrupt: size ${widthPx}x${heightPx}`;
      return { widthPx, heightPx, components };
    }
    if (marker === 0xda || marker === 0xd9) return 'JPEG header is corrupt: image data before any frame header';
    offset += 2 + length;
  }
  return 'JPEG header is truncated: no frame header';
}
