// Frames a live ingest produced, kept as their frame jobs carried them, and their fault-free replay: the
// same jobs (seq, capture time, size, JPEG) as a fresh camera through the real worker and analyzer processes.
import type { Frame, FrameSink } from '../../core/frames.ts';
import { compareStreamIds } from '../../analyzer/streamTrim.ts';
import { readResults } from '../../inference/results.ts';
import { BullmqFrameSink } from '../../inference/frameSink.ts';
import { framesQueueOf, idleCommitsOf, storedRows, waitForEnd, waitUntil, type StoredRun } from './faultRun.ts';
import type { CameraSetup, FaultStack } from './faultStack.ts';

/** What a frame job carries but its camera id (a replay runs under a camera of its own). */
export type RecordedFrame = Omit<Frame, 'cameraId'>;

/** More than a test's live run produces; beyond it the recording fails rather than grow without bound. */
const MAX_RECORDED_FRAMES = 5000;

/**
 * The frames a live camera's sinks took, in push order. Each sink it hands out (ingest asks for a new one
 * whenever it restarts the camera) puts the frame on the real queue (BullmqFrameSink) and, once the queue
 * took it, records it as pushed; a frame the queue refused is counted, not recorded.
 */
export class FrameRecording {
  readonly frames: RecordedFrame[] = [];
  refused = 0;

  sinkFor(stack: FaultStack): FrameSink {
    const queueSink = new BullmqFrameSink(stack.config);
    return {
      push: async (frame: Frame) => {
        try {
          await queueSink.push(frame);
        } catch (err) {
          this.refused += 1;
          throw err;
        }
        if (this.frames.length >= MAX_RECORDED_FRAMES)
          throw new Error(`more than ${MAX_RECORDED_FRAMES} frames recorded`);
        const { cameraId: _camera, ...recorded } = frame;
        this.frames.push(recorded);
      },
      close: () => queueSink.close(),
    };
  }
}

/**
 * Time until a frame captured at or after `sinceMs` has its result analysed and checkpointed by the stack's
 * analyzer: a camera fault's recovery as the data path sees it (source back → its frames counted again).
 */
export async function untilCapturedAfterAnalysed(
  stack: FaultStack,
  sinceMs: number,
  timeoutMs: number,
): Promise<number> {
  let afterId = '0';
  let resultId: string | null = null;
  let newestCapturedAtMs = 0;
  await waitUntil(
    `a frame captured after ${new Date(sinceMs).toISOString()} analysed`,
    async () => {
      if (resultId === null) {
        for (const entry of await readResults(stack.redis, stack.config.redis.prefix, stack.cameraId, { afterId })) {
          afterId = entry.id;
          newestCapturedAtMs = Math.max(newestCapturedAtMs, entry.result.capturedAtMs);
          if (entry.result.capturedAtMs >= sinceMs) {
            resultId = entry.id;
            break;
          }
        }
      }
      return resultId !== null && compareStreamIds(await stack.checkpointStreamId(), resultId) >= 0;
    },
    timeoutMs,
    50,
  ).catch(async (err: unknown) => {
    // Say which stage held it: no result yet (a backlog, or no frame), or a result the analyzer did not pass.
    const where =
      resultId === null
        ? `no such result yet; newest result captured ${new Date(newestCapturedAtMs).toISOString()}`
        : `result ${resultId} published, checkpoint at ${await stack.checkpointStreamId()}`;
    throw new Error(`${(err as Error).message} (${where})`);
  });
  return Date.now() - sinceMs;
}

/**
 * The recorded frames, in their recorded order, as a new camera of the same stack (same role processes, its
 * own rows) with no fault: the reference a live camera's stored rows are compared with. Returns its rows.
 */
export async function replayRecorded(
  stack: FaultStack,
  camera: CameraSetup,
  frames: readonly RecordedFrame[],
  pushFps: number,
): Promise<StoredRun> {
  const started = Date.now();
  const cameraId = await stack.addCamera(camera, 'fault-free reference');
  const sink = new BullmqFrameSink(stack.config);
  const queue = framesQueueOf(stack);
  try {
    const t0 = Date.now();
    let fed = t0;
    for (const [i, frame] of frames.entries()) {
      const delayMs = t0 + (i * 1000) / pushFps - Date.now();
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      await sink.push({ ...frame, cameraId });
      fed = Date.now();
    }
    await waitForEnd(stack, queue);
    const rows = await storedRows(stack, cameraId);
    return {
      ...rows,
      wallMs: Date.now() - started,
      feedMs: fed - t0,
      drainMs: Date.now() - fed,
      pushRetries: 0,
      idleCommits: idleCommitsOf(stack),
      outcome: null,
    };
  } finally {
    await sink.close();
    await queue.close().catch(() => undefined);
  }
}
