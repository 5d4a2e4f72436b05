import { describe, expect, it } from 'vitest';
import { readJpegHeader } from '../../../inference/jpegHeader.ts';

/** A minimal JPEG prefix: SOI, an APP0 segment, then a baseline SOF0 of the given size. */
function jpegPrefix(widthPx: number, heightPx: number, sof = 0xc0): Buffer {
  const app0 = [0xff, 0xe0, 0x00, 0x06, 0x4a, 0x46, 0x49, 0x46];
  const sofSegment = [0xff, sof, 0x00, 0x11, 0x08, heightPx >> 8, heightPx & 0xff, widthPx >> 8, widthPx & 0xff, 0x03];
  return Buffer.from([0xff, 0xd8, ...app0, ...sofSegment, ...new Array(15).fill(0)]);
}

describe('readJpegHeader', () => {
  it('reads the size from a baseline or progressive frame header after other segments', () => {
    expect(readJpegHeader(jpegPrefix(1920, 1080))).toEqual({ widthPx: 1920, heightPx: 1080, components: 3 });
    expect(readJpegHeader(jpegPrefix(960, 540, 0xc2))).toEqual({ widthPx: 960, heightPx: 540, components: 3 });
  });

  it('says why bytes are not a usable JPEG', () => {
    expect(readJpegHeader(Buffer.alloc(0))).toBe('frame is empty (0 bytes)');
    expect(readJpegHeader(Buffer.from('GIF89a'))).toMatch(/not a JPEG \(starts with 0x47494638\)/);
    expect(readJpegHeader(jpegPrefix(960, 540).subarray(0, 12))).toMatch(/truncated/);
    const garbled = Buffer.concat([Buffer.from([0xff, 0xd8]), Buffer.alloc(50, 0x55)]);
    expect(readJpegHeader(garbled)).toMatch(/no marker at byte 2/);
    expect(readJpegHeader(jpegPrefix(0, 540))).toMatch(/size 0x540/);
  });
});
