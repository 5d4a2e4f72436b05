import { describe, expect, it } from 'vitest';
import { JpegSplitter } from '../../../ingest/jpegSplitter.ts';

/** A minimal JPEG-shaped buffer: SOI, an SOF0 with the given size, some stuffed entropy bytes, EOI. */
function fakeJpeg(widthPx: number, heightPx: number, filler = 20): Buffer {
  const sof = Buffer.from([
    0xff,
    0xc0,
    0x00,
    0x11,
    0x08,
    heightPx >> 8,
    heightPx & 255,
    widthPx >> 8,
    widthPx & 255,
    3,
    1,
    0x22,
    0,
    2,
    0x11,
    1,
    3,
    0x11,
    1,
  ]);
  const body = Buffer.alloc(filler, 0x12);
  body[3] = 0xff; // a stuffed 0xFF00 inside entropy-coded data is not a marker
  body[4] = 0x00;
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    sof,
    Buffer.from([0xff, 0xda, 0x00, 0x02]),
    body,
    Buffer.from([0xff, 0xd9]),
  ]);
}

describe('JpegSplitter', () => {
  it('returns each whole JPEG from a stream of several', () => {
    const a = fakeJpeg(960, 540);
    const b = fakeJpeg(640, 360, 50);
    const splitter = new JpegSplitter({ maxFrameBytes: 1 << 20 });
    const images = splitter.push(Buffer.concat([a, b]));
    expect(images).toEqual([a, b]);
    expect(splitter.pendingBytes).toBe(0);
  });

  it('reassembles images cut at every possible byte, markers split across chunks included', () => {
    const a = fakeJpeg(960, 540);
    const b = fakeJpeg(320, 240);
    const stream = Buffer.concat([a, b, a]);
    for (let cut = 1; cut < stream.length; cut++) {
      const splitter = new JpegSplitter({ maxFrameBytes: 1 << 20 });
      const images = [...splitter.push(stream.subarray(0, cut)), ...splitter.push(stream.subarray(cut))];
      expect(images).toEqual([a, b, a]);
    }
  });

  it('skips bytes before the first SOI', () => {
    const a = fakeJpeg(960, 540);
    const splitter = new JpegSplitter({ maxFrameBytes: 1 << 20 });
    expect(splitter.push(Buffer.concat([Buffer.from([1, 2, 0xff, 3]), a]))).toEqual([a]);
    expect(splitter.skippedBytes).toBe(4);
  });

  it('drops an image that outgrows the bound and resynchronises on the next one', () => {
    const runaway = Buffer.concat([Buffer.from([0xff, 0xd8]), Buffer.alloc(5000, 0x11)]);
    const next = fakeJpeg(960, 540);
    const splitter = new JpegSplitter({ maxFrameBytes: 4096 });
    expect(splitter.push(runaway)).toEqual([]);
    expect(splitter.droppedFrames).toBe(1);
    expect(splitter.pendingBytes).toBeLessThanOrEqual(4096);
    expect(splitter.push(next)).toEqual([next]);
  });
});
