// Motion gating's ingest half: a FrameSink in front of the queue's that finds, per camera and in frame order,
// where each frame's picture moved (ingest/motionDetector.ts on a small grey copy) and hands the frame on with
// it (Frame.motion). Frames reach the inner sink in the order they came; the inner sink's own bound still applies.
import sharp from 'sharp';
import type { Config } from '../core/config.ts';
import type { Frame, FrameSink } from '../core/frames.ts';
import type { RectPx } from '../core/geometry.ts';
import type { SourceEnd } from '../core/inferenceResult.ts';
import { MotionDetector, type MotionDetectorOptions } from './motionDetector.ts';

/** Width of the grey copy motion is found on: a motorbike at 960 px (~20 px wide) is still 3 cells. */
export const MOTION_GRID_WIDTH_PX = 160;

/** The sink frames go to: the queue's, behind the motion finder when `motion.gating` is on (ingest and replays alike). */
export function withMotionGating<S extends FrameSink>(queueSink: S, motion: Config['motion']): S | MotionFrameSink {
  return motion.gating ? new MotionFrameSink(queueSink, { diffThreshold: motion.diffThreshold }) : queueSink;
}

export class MotionFrameSink implements FrameSink {
  private readonly detectors = new Map<string, MotionDetector>();
  /** Per camera, the motion step of its last frame: the next frame's waits for it (the background is sequential). */
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(
    private readonly inner: FrameSink,
    private readonly options: MotionDetectorOptions = {},
  ) {}

  push(frame: Frame): Promise<void> {
    const found = this.inOrder(frame.cameraId, () => this.motionOf(frame));
    return found.then((motion) => this.inner.push(motion ? { ...frame, motion } : frame));
  }

  /** The source ended: its marker follows its frames, and the next source's first frame starts a new background. */
  endSource(end: SourceEnd): Promise<void> {
    return this.inOrder(end.cameraId, async () => {
      this.detectors.delete(end.cameraId);
    }).then(() => this.inner.endSource?.(end));
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.tails.values()]);
    await this.inner.close?.();
  }

  private inOrder<T>(cameraId: string, step: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(cameraId) ?? Promise.resolve();
    const next = previous.then(step, step);
    const settled = next.catch(() => undefined);
    this.tails.set(cameraId, settled);
    void settled.then(() => {
      if (this.tails.get(cameraId) === settled) this.tails.delete(cameraId);
    });
    return next;
  }

  /**
   * Moving boxes in the frame's pixels, or undefined when the whole picture changed (first frame, a cut) or the
   * JPEG does not decode (the worker rejects it, naming why).
   */
  private async motionOf(frame: Frame): Promise<RectPx[] | undefined> {
    const gridW = Math.min(MOTION_GRID_WIDTH_PX, frame.widthPx);
    const gridH = Math.max(1, Math.round((gridW * frame.heightPx) / frame.widthPx));
    let grey: Buffer;
    try {
      grey = await sharp(frame.jpeg)
        .resize(gridW, gridH, { fit: 'fill' })
        .greyscale()
        .extractChannel(0)
        .raw()
        .toBuffer();
    } catch {
      return undefined;
    }
    let detector = this.detectors.get(frame.cameraId);
    if (!detector) this.detectors.set(frame.cameraId, (detector = new MotionDetector(this.options)));
    const verdict = detector.update({ grey, widthPx: gridW, heightPx: gridH });
    if (verdict === 'all') return undefined;
    const sx = frame.widthPx / gridW;
    const sy = frame.heightPx / gridH;
    return verdict.map((r) => ({
      x: Math.floor(r.x * sx),
      y: Math.floor(r.y * sy),
      widthPx: Math.ceil(r.widthPx * sx),
      heightPx: Math.ceil(r.heightPx * sy),
    }));
  }
}
