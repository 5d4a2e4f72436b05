import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/logger.ts';
import type { Frame } from '../../../core/frames.ts';
import { FrameEmitter } from '../../../ingest/frameEmitter.ts';

function fakeJpeg(widthPx: number, heightPx: number): Buffer {
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
  return Buffer.concat([Buffer.from([0xff, 0xd8]), sof, Buffer.from([0xff, 0xda, 0x00, 0x02, 1, 2, 3, 0xff, 0xd9])]);
}

describe('FrameEmitter', () => {
  const logger = createLogger({ level: 'silent' });

  it('numbers frames strictly increasing across stream resets (reconnects), with size and capture time', () => {
    const frames: Frame[] = [];
    const emitter = new FrameEmitter({
      cameraId: 'cam',
      sink: { push: (f) => void frames.push(f) },
      maxFrameBytes: 1 << 20,
      logger,
    });
    const jpeg = fakeJpeg(960, 540);
    expect(emitter.push(Buffer.concat([jpeg, jpeg]))).toBe(2);
    emitter.push(jpeg.subarray(0, 10)); // ffmpeg dies mid-image
    emitter.resetStream();
    expect(emitter.push(jpeg)).toBe(1);
    expect(frames.map((f) => f.seq)).toEqual([0, 1, 2]);
    expect(frames[2]).toMatchObject({ cameraId: 'cam', widthPx: 960, heightPx: 540 });
    expect(frames[2]!.capturedAtMs).toBeGreaterThanOrEqual(frames[0]!.capturedAtMs);
  });

  it('hands the sink no frame whose header says 0x0, and numbers only the frames it hands over', () => {
    const frames: Frame[] = [];
    const emitter = new FrameEmitter({
      cameraId: 'cam',
      sink: { push: (f) => void frames.push(f) },
      maxFrameBytes: 1 << 20,
      logger,
    });
    expect(emitter.push(Buffer.concat([fakeJpeg(0, 0), fakeJpeg(960, 540)]))).toBe(1);
    expect(frames.map((f) => [f.seq, f.widthPx, f.heightPx])).toEqual([[0, 960, 540]]);
  });

  it("goes on from an earlier supervisor's next seq, so a restarted camera never reuses a seq", () => {
    const frames: Frame[] = [];
    const first = new FrameEmitter({
      cameraId: 'cam',
      sink: { push: (f) => void frames.push(f) },
      maxFrameBytes: 1 << 20,
      logger,
    });
    const jpeg = fakeJpeg(960, 540);
    first.push(Buffer.concat([jpeg, jpeg, jpeg]));
    const next = new FrameEmitter({
      cameraId: 'cam',
      sink: { push: (f) => void frames.push(f) },
      maxFrameBytes: 1 << 20,
      logger,
      firstSeq: first.nextFrameSeq,
    });
    next.push(jpeg);
    expect(frames.map((f) => f.seq)).toEqual([0, 1, 2, 3]);
  });

  it('keeps going when the sink throws or rejects', async () => {
    let calls = 0;
    const emitter = new FrameEmitter({
      cameraId: 'cam',
      sink: {
        push: () => {
          calls++;
          if (calls === 1) throw new Error('queue down');
          return Promise.reject(new Error('queue still down'));
        },
      },
      maxFrameBytes: 1 << 20,
      logger,
    });
    const jpeg = fakeJpeg(320, 240);
    expect(emitter.push(Buffer.concat([jpeg, jpeg, jpeg]))).toBe(3);
    await new Promise((r) => setImmediate(r));
    expect(calls).toBe(3);
  });
});
