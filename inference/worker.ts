// The inference worker: consumes the "frames" queue with BullMQ (retries, stalled-job recovery), reads each
// frame's JPEG from Redis by its key, runs the detector on its regions and publishes the result (with image
// statistics; the JPEG kept briefly for alert snapshots) to the camera's stream. Poison frames fail for good,
// marked skipped there; a frame whose JPEG expired before a worker took it is counted dropped and marked so.
// A source's end marker (core/inferenceResult.ts SourceEnd) comes down the same queue and is passed on as it is.
import { hostname } from 'node:os';
import { UnrecoverableError, Worker, type Job } from 'bullmq';

import type { Config } from '../core/config.ts';
import { FrameRejectedError } from '../core/errors.ts';
import { frameJobCheck, frameJobProblems } from '../core/frameJob.ts';
import { sourceEndCheck, type InferenceResult, type SourceEnd } from '../core/inferenceResult.ts';
import type { Logger } from '../core/logger.ts';
import { AnalysisPlanCache } from './analysisPlans.ts';
import { createDetector, type Detector } from './detector.ts';
import { DetectorsBySize } from './detectorsBySize.ts';
import { SOURCE_END_JOB_NAME, type FrameJobData } from './frameJob.ts';
import { computeImageStats, imageStatsOfLetterbox } from './imageStats.ts';
import { detectWhereMoved } from './gatedDetection.ts';
import { Detections } from '../core/detections.ts';
import { publishDropped, publishResult, publishSkip, publishSourceEnd } from './results.ts';
import { createRedis, quitRedis, redisKeys, redisQueues } from '../core/redis.ts';

export interface InferenceWorkerHandle {
  /** hostname:pid, also written into every result. */
  readonly workerId: string;
  /** Stops taking frames, lets frames in flight finish, releases the model and connections; idempotent. */
  close(): Promise<void>;
}

export interface InferenceWorkerOptions {
  /** A detector already loaded (tests, bench); closed with the worker. Loaded from config when absent. */
  detector?: Detector;
}

type WorkerConfig = Pick<Config, 'assetsDir' | 'redis' | 'queue' | 'inference' | 'alerts' | 'motion'>;

export async function startInferenceWorker(
  config: WorkerConfig,
  logger: Logger,
  options: InferenceWorkerOptions = {},
): Promise<InferenceWorkerHandle> {
  const workerId = `${hostname()}:${process.pid}`;
  const log = logger.child({ component: 'inference-worker', workerId });
  const detector = options.detector ?? (await createDetector(config));
  // Cameras whose plan asks for another input size get a detector (session pool) of that size, loaded when first asked.
  const detectors = new DetectorsBySize(
    detector,
    (inputSizePx) => createDetector(config, { model: detector.model, inputSizePx }),
    config.inference.maxInputSizes,
    log,
  );
  const redis = createRedis(config.redis.url, 'queue', { connectionName: 'ioc-inference-worker' });
  const plans = new AnalysisPlanCache(redis, config.redis.prefix, config.inference.regionsRefreshMs, log);

  const analyseFrame = async (job: Job<FrameJobData>): Promise<{ detections: number }> => {
    const frame = await takeFrame(job);
    if (!frame) return { detections: 0 };
    const { jpeg } = frame;
    const startedMs = performance.now();
    let gated;
    let image;
    try {
      const plan = await plans.get(frame.cameraId);
      gated = await detectWhereMoved(detectors, plan, jpeg, frame, config.motion);
      // From the whole frame the model saw (no second decode); a plan without the whole frame, or a gated
      // frame, decodes a small grey copy instead (after detection, so the detector's verdict on a bad frame is the one reported).
      const whole = gated.detected?.wholeFrame;
      image = whole ? imageStatsOfLetterbox(whole.rgb, whole.letterbox) : await computeImageStats(jpeg);
    } catch (err) {
      // A frame that cannot be decoded will never decode: fail it now instead of retrying it.
      if (err instanceof FrameRejectedError) throw new UnrecoverableError(`${err.code}: ${err.message}`);
      throw err;
    }
    const detected = gated.detected;
    const result: InferenceResult = {
      cameraId: frame.cameraId,
      seq: frame.seq,
      capturedAtMs: frame.capturedAtMs,
      enqueuedAtMs: frame.enqueuedAtMs ?? Date.now(),
      publishedAtMs: Date.now(),
      frameWidthPx: gated.frame.widthPx,
      frameHeightPx: gated.frame.heightPx,
      detections: (detected?.traffic ?? Detections.empty()).toJSON(),
      ...(detected && detected.faint.length > 0 ? { faintDetections: detected.faint.toJSON() } : {}),
      modelId: detector.model.id,
      inferenceMs: Math.round((performance.now() - startedMs) * 10) / 10,
      regionCount: detected?.regionCount ?? 0,
      workerId,
      image,
      ...(gated.analysedRegions ? { analysedRegions: gated.analysedRegions } : {}),
    };
    await publishResult(redis, config.redis.prefix, config.queue.resultsMaxLen, result, config.alerts.frameRetentionMs);
    return { detections: detected?.traffic.length ?? 0 };
  };

  /**
   * Takes the job's frame off its camera's waiting set (even when its data turns out to be bad) and reads its
   * JPEG, in one round trip. The set decides between this worker and the sink's backlog bound: a frame first
   * started here that is no longer in the set was dropped by the sink (JPEG deleted, counted and marked then),
   * so it is left alone. A JPEG gone otherwise (expired after queue.frameWaitMaxMs, or replaced by another frame
   * of the same seq) makes the frame a dropped one: counted and marked skipped as the sink does. Null: no frame.
   */
  const takeFrame = async (job: Job<FrameJobData>): Promise<(FrameJobData & { jpeg: Buffer }) | null> => {
    const prefix = config.redis.prefix;
    const cameraId: unknown = (job.data as Partial<FrameJobData> | null)?.cameraId;
    if (!frameJobCheck.Check(job.data)) {
      if (typeof cameraId === 'string') await redis.zrem(redisKeys.waitingFrames(prefix, cameraId), job.id!);
      return rejectJobData(job.data);
    }
    const frame = job.data;
    const replies = await redis
      .pipeline()
      .zrem(redisKeys.waitingFrames(prefix, frame.cameraId), job.id!)
      .getBuffer(redisKeys.frame(prefix, frame.cameraId, frame.seq))
      .exec();
    for (const [err] of replies ?? []) if (err) throw err;
    const taken = replies?.[0]?.[1] === 1;
    const jpeg = replies?.[1]?.[1] as Buffer | null | undefined;
    if (jpeg && jpeg.length === frame.jpegBytes) return { ...frame, jpeg };
    // Started before (a retry, or a takeover from a dead worker) it left the set then: its JPEG expired since.
    if (!taken && job.attemptsStarted <= 1) return null;
    await publishDropped(redis, prefix, config.queue.resultsMaxLen, frame);
    log.warn(
      { jobId: job.id, cameraId: frame.cameraId, seq: frame.seq, waitedMs: Date.now() - (frame.enqueuedAtMs ?? 0) },
      'frame JPEG gone before a worker took it (queue.frameWaitMaxMs); counted as dropped',
    );
    return null;
  };

  // A frame that will never have a result (rejected, or its last attempt failed) leaves a gap in its camera's
  // seqs: a skip entry tells the analyzer so, instead of it waiting reorderMaxWaitMs as for a frame in flight.
  const passSourceEnd = async (job: Job<FrameJobData | SourceEnd>): Promise<{ detections: number }> => {
    if (!sourceEndCheck.Check(job.data)) throw new UnrecoverableError('IOC_FRAME_REJECTED: invalid source end marker');
    await publishSourceEnd(redis, config.redis.prefix, config.queue.resultsMaxLen, job.data);
    return { detections: 0 };
  };

  const processFrame = async (job: Job<FrameJobData | SourceEnd>): Promise<{ detections: number }> => {
    try {
      if (job.name === SOURCE_END_JOB_NAME) return await passSourceEnd(job);
      return await analyseFrame(job as Job<FrameJobData>);
    } catch (err) {
      const rejected = err instanceof UnrecoverableError || (err as Error).name === 'UnrecoverableError';
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const data = job.data as Partial<FrameJobData | SourceEnd> | null;
      if (
        (rejected || lastAttempt) &&
        typeof data?.cameraId === 'string' &&
        data.cameraId !== '' &&
        Number.isInteger(data.seq)
      ) {
        await publishSkip(redis, config.redis.prefix, config.queue.resultsMaxLen, {
          cameraId: data.cameraId,
          seq: data.seq!,
          reason: 'rejected',
        }).catch((skipErr: unknown) =>
          log.warn({ err: skipErr, jobId: job.id }, 'skip entry not written; the analyzer waits for the frame instead'),
        );
      }
      throw err;
    }
  };

  const worker = new Worker<FrameJobData | SourceEnd>(redisQueues.frames, processFrame, {
    connection: redis,
    prefix: config.redis.prefix,
    name: workerId,
    concurrency: config.queue.workerConcurrency,
    lockDuration: config.queue.lockDurationMs,
    stalledInterval: config.queue.stalledIntervalMs,
    maxStalledCount: 1,
    autorun: true,
  });
  worker.on('failed', (job, err) => {
    const context = {
      jobId: job?.id,
      cameraId: job?.data?.cameraId,
      seq: job?.data?.seq,
      attemptsMade: job?.attemptsMade,
    };
    if (err instanceof UnrecoverableError || err.name === 'UnrecoverableError') {
      log.warn({ ...context, reason: err.message }, 'frame rejected, not retried');
    } else {
      log.error({ ...context, err }, 'frame failed; BullMQ retries it while attempts remain');
    }
  });
  worker.on('stalled', (jobId) => log.warn({ jobId }, 'frame stalled (its worker died or hung); taken over'));
  worker.on('error', (err) => log.error({ err }, 'worker error'));
  try {
    await worker.waitUntilReady();
  } catch (err) {
    // Nothing may outlive a failed start: the model's sessions and both connections go too.
    await Promise.allSettled([worker.close(), detectors.close(), quitRedis(redis)]);
    throw err;
  }
  log.info(
    {
      modelId: detector.model.id,
      inputSize: `${detector.inputSizePx.widthPx}x${detector.inputSizePx.heightPx}`,
      concurrency: config.queue.workerConcurrency,
      sessions: config.inference.sessions,
    },
    'inference worker started',
  );

  let closing: Promise<void> | null = null;
  return {
    workerId,
    close() {
      closing ??= (async () => {
        // Every step runs even when an earlier one throws.
        const steps = [() => worker.close(), () => detectors.close(), () => quitRedis(redis)];
        for (const step of steps) {
          try {
            await step();
          } catch (err) {
            log.error({ err }, 'error while closing the inference worker');
          }
        }
        log.info('inference worker closed');
      })();
      return closing;
    },
  };
}

/** An unrecoverable failure naming the job data's fields that do not fit core/frameJob.ts's schema. */
function rejectJobData(data: unknown): never {
  if (!data || typeof data !== 'object' || Array.isArray(data))
    throw new UnrecoverableError('IOC_FRAME_REJECTED: job data is not an object');
  throw new UnrecoverableError(`IOC_FRAME_REJECTED: job data has invalid ${frameJobProblems(data).join(', ')}`);
}
