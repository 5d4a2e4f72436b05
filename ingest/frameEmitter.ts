// Turns one camera's ffmpeg stdout into Frames for the sink: splits the JPEGs, stamps each with the next
// sequence number (monotonic for the supervisor's life, across reconnects) and its capture time.
import type { Frame, FrameSink } from '../core/frames.ts';
import type { Logger } from '../core/logger.ts';
import { readJpegSize } from '../core/jpegHeader.ts';
import { JpegSplitter } from './jpegSplitter.ts';

export interface FrameEmitterOptions {
  cameraId: string;
  sink: FrameSink;
  maxFrameBytes: number;
  logger: Logger;
  /** The first frame's seq: where an earlier supervisor of the camera stopped (default 0). */
  firstSeq?: number;
}

export class FrameEmitter {
  private readonly splitter: JpegSplitter;
  private nextSeq: number;
  private sinkErrors = 0;

  constructor(private readonly options: FrameEmitterOptions) {
    this.splitter = new JpegSplitter({ maxFrameBytes: options.maxFrameBytes });
    this.nextSeq = options.firstSeq ?? 0;
  }

  /** The seq the next frame gets: a camera's next supervisor starts its numbering here. */
  get nextFrameSeq(): number {
    return this.nextSeq;
  }

  /** A new ffmpeg starts: drop any half image of the previous one, keep the sequence going. */
  resetStream(): void {
    this.splitter.reset();
  }

  /**
   * Hands every JPEG finished by `chunk` to the sink; returns how many. The capture time is when the image
   * reached us (UTC ms): ffmpeg's stream clock restarts with each reconnect, the wall clock does not.
   */
  push(chunk: Buffer): number {
    let emitted = 0;
    for (const jpeg of this.splitter.push(chunk)) {
      const size = readJpegSize(jpeg);
      if (!size) continue; // not a decodable image: never hand the sink a frame without its size
      const frame: Frame = {
        cameraId: this.options.cameraId,
        seq: this.nextSeq++,
        capturedAtMs: Date.now(),
        jpeg,
        ...size,
      };
      emitted++;
      try {
        const pushed = this.options.sink.push(frame);
        if (pushed) pushed.catch((err: unknown) => this.onSinkError(err));
      } catch (err) {
        this.onSinkError(err);
      }
    }
    return emitted;
  }

  private onSinkError(err: unknown): void {
    // The sink is the queue: a burst of failures must not flood the log at several lines a second per camera.
    if (this.sinkErrors++ % 100 === 0)
      this.options.logger.warn({ err, count: this.sinkErrors }, 'frame sink rejected a frame');
  }
}
