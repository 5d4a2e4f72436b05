import { describe, expect, it } from 'vitest';
import { jpegHeaderProblem, readJpegHeader, readJpegSize } from '../../../core/jpegHeader.ts';

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
    expect(readJpegSize(jpegPrefix(960, 540))).toEqual({ widthPx: 960, heightPx: 540 });
  });

  it('skips fill bytes and markers without a length before the frame header', () => {
    const prefix = jpegPrefix(640, 360);
    const padded = Buffer.concat([prefix.subarray(0, 2), Buffer.from([0xff, 0xff, 0xd0]), prefix.subarray(2)]);
    expect(readJpegSize(padded)).toEqual({ widthPx: 640, heightPx: 360 });
  });

  it('answers null for a 0×0 frame header, a truncated header and bytes that are no JPEG', () => {
    expect(readJpegHeader(jpegPrefix(0, 540))).toBeNull();
    expect(readJpegHeader(jpegPrefix(0, 0))).toBeNull();
    expect(readJpegSize(jpegPrefix(960, 0))).toBeNull();
    expect(readJpegHeader(jpegPrefix(960, 540).subarray(0, 12))).toBeNull();
    expect(readJpegHeader(Buffer.from([0xff, 0xd8, 0xff, 0xd9]))).toBeNull();
    expect(readJpegHeader(Buffer.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x08]))).toBeNull();
    expect(readJpegHeader(Buffer.alloc(0))).toBeNull();
    expect(readJpegHeader(Buffer.from('GIF89a'))).toBeNull();
  });

  it('says why bytes are not a usable JPEG, with a stable reason', () => {
    expect(jpegHeaderProblem(jpegPrefix(960, 540))).toBeNull();
    expect(jpegHeaderProblem(Buffer.alloc(0))).toEqual({ reason: 'empty', message: 'frame is empty (0 bytes)' });
    expect(jpegHeaderProblem(Buffer.from('GIF89a'))).toEqual({
      reason: 'not-jpeg',
      message: 'frame is not a JPEG (starts with 0x47494638)',
    });
    expect(jpegHeaderProblem(jpegPrefix(960, 540).subarray(0, 12))?.message).toMatch(/truncated/);
    const garbled = Buffer.concat([Buffer.from([0xff, 0xd8]), Buffer.alloc(50, 0x55)]);
    expect(jpegHeaderProblem(garbled)).toEqual({
      reason: 'corrupt',
      message: 'JPEG header is corrupt: no marker at byte 2',
    });
    expect(jpegHeaderProblem(jpegPrefix(0, 540))?.message).toMatch(/size 0x540/);
  });
});
