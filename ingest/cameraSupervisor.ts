// One camera's media process, supervised: runs its ffmpeg, turns stdout into frames for the sink, keeps
// health, restarts with backoff, watches for stalls and falls back to re-encoding when HLS copy keeps failing.
import { mkdir } from 'node:fs/promises';
import type { Camera, CameraHealth, CameraState } from '../core/camera.ts';
import type { Config } from '../core/config.ts';
import type { FrameSink } from '../core/frames.ts';
import type { Logger } from '../core/logger.ts';
import { redactUrlCredentials } from '../core/redact.ts';
import { Backoff, cancellableDelay } from './backoff.ts';
import { buildIngestCommand } from './ffmpegArgs.ts';
import { FfmpegRun, type FfmpegExit } from './ffmpegProcess.ts';
import { FfmpegStderrParser, type StderrEvent } from './ffmpegStderr.ts';
import { FrameEmitter } from './frameEmitter.ts';
import { HlsModePolicy, type RunEnd } from './hlsModePolicy.ts';
import { SegmentWatch } from './hlsPlaylist.ts';
import { judgeRunProgress } from './stallVerdict.ts';

export type SupervisedCamera = Pick<Camera, 'id' | 'mainUrl' | 'subUrl' | 'sampleFps'>;

export interface CameraSupervisorOptions {
  camera: SupervisedCamera;
  /** Where this camera's playlist and segments go (created by the caller). */
  hlsDir: string;
  config: Pick<Readonly<Config>, 'media' | 'ingest'>;
  frameSink: FrameSink;
  logger: Logger;
  /** Called on every state change, and with fresh figures at most every ingest.healthIntervalMs while live. */
  onHealth?: (health: CameraHealth) => void;
  /** Jitter source for the backoff (tests pin it). */
  random?: () => number;
  /**
   * The first frame's seq (default 0). A camera restarted by its owner (URL edited) goes on from where its
   * previous supervisor stopped, so a seq is never reused while frames numbered before may still be in flight.
   */
  firstSeq?: number;
}

interface RunState {
  ffmpeg: FfmpegRun;
  startedAtMs: number;
  liveSinceMs: number | null;
  lastFrameAtMs: number | null;
  lastSegmentAtMs: number | null;
  segments: SegmentWatch;
  framesInRun: number;
  segmentsInRun: number;
  statsFrames: { frames: number; atMs: number } | null;
  /** When the muxer last rejected copied packets; fatal only if ffmpeg exits right after. */
  copyFailureAtMs: number | null;
  /** The first line that showed the HLS copy failing, for the health message. */
  copyFailureText: string | null;
  lastError: string | null;
  end: RunEnd | null;
  endedAtMs: number | null;
}

/** How often the watchdog looks at the playlist and the frame clock. */
const WATCHDOG_PERIOD_MS = 500;
/**
 * How long decoding may run before a copied HLS output must list its first segment: a segment ends only on a
 * key frame, and cameras with a "smart" codec send one every 10 s or so, so the first takes up to two GOPs.
 */
const FIRST_SEGMENT_WAIT_MS = 20_000;
const GENERIC_FFMPEG_FAILURE = /^(Conversion failed!?|Exiting normally.*)$/;

export class CameraSupervisor {
  readonly cameraId: string;
  private readonly log: Logger;
  private readonly backoff: Backoff;
  private readonly frames: FrameEmitter;
  private state: CameraState = 'starting';
  private inputFps: number | null = null;
  private bitrateKbps: number | null = null;
  /** Longest HLS segment this camera has produced, ms: a copied segment spans at least one GOP. */
  private longestSegmentMs = 0;
  private lastFrameAt: Date | null = null;
  private restarts = 0;
  private message: string | null = null;
  private updatedAt = new Date();
  private lastHealthEmitMs = 0;
  private mainFps: number | null = null;
  private readonly hlsModePolicy: HlsModePolicy;
  private run: RunState | null = null;
  private loop: Promise<void> | null = null;
  private stopping: Promise<void> | null = null;
  private wakeBackoff: (() => void) | null = null;

  constructor(private readonly options: CameraSupervisorOptions) {
    this.cameraId = options.camera.id;
    this.log = options.logger.child({ cameraId: this.cameraId });
    const { ingest } = options.config;
    this.backoff = new Backoff({
      initialMs: ingest.backoffInitialMs,
      maxMs: ingest.backoffMaxMs,
      random: options.random,
    });
    this.frames = new FrameEmitter({
      cameraId: this.cameraId,
      sink: options.frameSink,
      maxFrameBytes: ingest.maxFrameBytes,
      logger: this.log,
      firstSeq: options.firstSeq,
    });
    this.hlsModePolicy = new HlsModePolicy(ingest.copyFailuresBeforeTranscode);
  }

  private get hlsMode() {
    return this.hlsModePolicy.mode;
  }

  /** Starts supervising; idempotent. */
  start(): void {
    if (this.loop || this.stopping) return;
    this.setState('starting', null);
    this.loop = this.superviseLoop().catch((err: unknown) => {
      this.log.error({ err }, 'camera supervisor crashed');
      this.setState('failed', `supervisor crashed: ${(err as Error).message}`);
    });
  }

  /** The seq the next frame would get (where a successor supervisor of this camera starts). */
  nextFrameSeq(): number {
    return this.frames.nextFrameSeq;
  }

  health(): CameraHealth {
    return {
      cameraId: this.cameraId,
      state: this.state,
      hlsMode: this.hlsMode,
      inputFps: this.inputFps,
      bitrateKbps: this.bitrateKbps,
      lastFrameAt: this.lastFrameAt,
      restarts: this.restarts,
      message: this.message,
      updatedAt: this.updatedAt,
    };
  }

  /** Stops ffmpeg (SIGTERM, SIGKILL after ingest.stopGraceMs) and resolves once it has exited. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.wakeBackoff?.();
      const run = this.run;
      if (run) {
        run.end ??= 'stopped';
        await run.ffmpeg.stop(this.options.config.ingest.stopGraceMs);
      }
      await this.loop;
      this.setState('stopped', null);
    })();
    return this.stopping;
  }

  private async superviseLoop(): Promise<void> {
    while (!this.stopping) {
      const run = await this.runOnce();
      if (this.stopping) return;
      const delayMs = this.afterRun(run);
      if (delayMs > 0) await this.sleep(delayMs);
      if (this.stopping) return;
      this.restarts++;
    }
  }

  private async runOnce(): Promise<RunState> {
    const { config, camera, hlsDir } = this.options;
    const spec = buildIngestCommand({
      mainUrl: camera.mainUrl,
      subUrl: camera.subUrl,
      sampleFps: camera.sampleFps,
      hlsDir,
      hlsMode: this.hlsMode,
      mainFps: this.mainFps,
      hlsSegmentSeconds: config.media.hlsSegmentSeconds,
      hlsListSize: config.media.hlsListSize,
      sourceTimeoutMs: config.ingest.sourceTimeoutMs,
      frameWidthPx: config.ingest.frameWidthPx,
      jpegQuality: config.ingest.jpegQuality,
    });
    // The folder may have gone since the last run (a sweep of a folder it judged stale, an operator):
    // without it ffmpeg could never write the playlist again.
    await mkdir(hlsDir, { recursive: true });
    const segments = await SegmentWatch.from(hlsDir);
    const parser = new FfmpegStderrParser();
    this.frames.resetStream();
    const ffmpeg = new FfmpegRun(spec, {
      ffmpegPath: config.media.ffmpegPath,
      onStderrLine: (line) => this.onStderrEvent(run, parser.feed(line)),
    });
    const run: RunState = {
      ffmpeg,
      startedAtMs: Date.now(),
      liveSinceMs: null,
      lastFrameAtMs: null,
      lastSegmentAtMs: null,
      segments,
      framesInRun: 0,
      segmentsInRun: 0,
      statsFrames: null,
      copyFailureAtMs: null,
      copyFailureText: null,
      lastError: null,
      end: null,
      endedAtMs: null,
    };
    this.run = run;
    // stop() may have come while the previous playlist was read: this run must not outlive it.
    if (this.stopping) {
      run.end = 'stopped';
      void ffmpeg.stop(config.ingest.stopGraceMs);
    }
    this.log.info({ hlsMode: this.hlsMode, mainUrl: camera.mainUrl, subUrl: camera.subUrl }, 'starting ffmpeg');
    ffmpeg.stdout.on('data', (chunk: Buffer) => this.onStdout(run, chunk));
    const watchdog = setInterval(() => void this.watch(run), WATCHDOG_PERIOD_MS);
    const exit = await ffmpeg.exited;
    clearInterval(watchdog);
    run.end ??= 'exited';
    run.endedAtMs = Date.now();
    this.run = null;
    this.logExit(run, exit);
    if (exit.spawnError) run.lastError = `cannot start ffmpeg (${config.media.ffmpegPath}): ${exit.spawnError.message}`;
    return run;
  }

  private onStdout(run: RunState, chunk: Buffer): void {
    const emitted = this.frames.push(chunk);
    if (emitted === 0) return;
    run.framesInRun += emitted;
    run.lastFrameAtMs = Date.now();
    this.lastFrameAt = new Date(run.lastFrameAtMs);
    this.markLive(run);
  }

  private onStderrEvent(run: RunState, event: StderrEvent | null): void {
    if (!event) return;
    if (event.kind === 'input') {
      if (event.stream.inputIndex === 0) {
        this.mainFps = event.stream.fps ?? this.mainFps;
        if (this.hlsModePolicy.onMainCodec(event.stream.codec)) {
          this.announceTranscode();
          run.end ??= 'needs-transcode';
          void run.ffmpeg.stop(this.options.config.ingest.stopGraceMs);
        }
      }
    } else if (event.kind === 'mapping') {
      this.log.debug({ mapping: event.text, hlsMode: this.hlsMode }, 'ffmpeg stream mapping');
    } else if (event.kind === 'stats') {
      const now = Date.now();
      if (run.statsFrames && now > run.statsFrames.atMs && event.stats.frames >= run.statsFrames.frames) {
        const fps = ((event.stats.frames - run.statsFrames.frames) * 1000) / (now - run.statsFrames.atMs);
        this.inputFps = Math.round(fps * 10) / 10;
      }
      run.statsFrames = { frames: event.stats.frames, atMs: now };
    } else {
      const text = redactUrlCredentials(event.text);
      this.log.debug({ line: text }, 'ffmpeg');
      if (event.hlsCopyFailure && this.hlsMode === 'copy') {
        run.copyFailureAtMs = Date.now();
        run.copyFailureText ??= text;
      }
      // ffmpeg's closing summary says nothing the line before it did not.
      if (!(run.lastError && GENERIC_FFMPEG_FAILURE.test(text))) run.lastError = text;
    }
  }

  /** Watchdog: new segments, figures, and the two stall cases. */
  private async watch(run: RunState): Promise<void> {
    if (run.end) return;
    const { config } = this.options;
    const newSegment = await run.segments.poll();
    if (newSegment) {
      run.segmentsInRun++;
      run.lastSegmentAtMs = Date.now();
      this.longestSegmentMs = Math.max(this.longestSegmentMs, newSegment.segment.durationSec * 1000);
      this.bitrateKbps = newSegment.bitrateKbps ?? this.bitrateKbps;
      this.noteEmptySegment(newSegment.segment.name, newSegment.bitrateKbps === 0);
      this.markLive(run);
    }
    if (run.end) return;
    const now = Date.now();
    const stallMs = config.ingest.stallTimeoutMs;
    // Two of its longest segments: a camera with key frames 7 s apart lists a segment every 7 s or more.
    // Before its first segment the GOP is unknown: it gets FIRST_SEGMENT_WAIT_MS (or two stall periods).
    const hlsStallMs =
      this.longestSegmentMs > 0
        ? Math.max(stallMs, Math.round(2 * this.longestSegmentMs))
        : Math.max(2 * stallMs, FIRST_SEGMENT_WAIT_MS);
    const verdict = judgeRunProgress({
      nowMs: now,
      startedAtMs: run.startedAtMs,
      lastFrameAtMs: run.lastFrameAtMs,
      lastSegmentAtMs: run.lastSegmentAtMs,
      stallTimeoutMs: stallMs,
      hlsStallTimeoutMs: hlsStallMs,
    });
    if (verdict !== 'progressing') {
      run.end = verdict;
      run.lastError =
        verdict === 'stalled'
          ? `no frame and no HLS segment for ${stallMs} ms`
          : `frames decode but no HLS segment for ${hlsStallMs} ms`;
      this.log.warn({ stallMs, hlsStallMs, hlsMode: this.hlsMode, verdict }, 'output stalled: restarting ffmpeg');
      void run.ffmpeg.stop(config.ingest.stopGraceMs);
      return;
    }
    if (run.liveSinceMs !== null && now - this.lastHealthEmitMs >= config.ingest.healthIntervalMs) this.emitHealth();
  }

  /**
   * ffmpeg's HLS muxer says nothing when its disk is full: it lists empty segments and carries on. The wall
   * would go black with the camera 'live', so an empty segment is named in the health message.
   */
  private noteEmptySegment(name: string, empty: boolean): void {
    const emptyMessage = `HLS segment ${name} is empty: is the HLS disk full?`;
    if (empty && this.message !== emptyMessage) {
      this.log.warn({ segment: name }, 'empty HLS segment: is the HLS disk full?');
      this.message = emptyMessage;
      this.emitHealth();
    } else if (!empty && this.message?.startsWith('HLS segment ') && this.state === 'live') {
      this.message = this.hlsModePolicy.reason;
      this.emitHealth();
    }
  }

  private markLive(run: RunState): void {
    // A poll or a stdout flush finishing after ffmpeg exited must not undo the 'reconnecting' that follows.
    if (run.liveSinceMs !== null || run.end !== null) return;
    run.liveSinceMs = Date.now();
    this.setState('live', this.hlsModePolicy.reason);
  }

  /** Decides what the end of a run means; returns the delay before the next one. */
  private afterRun(run: RunState): number {
    const { ingest } = this.options.config;
    if (run.end === 'needs-transcode') return 0;
    const switched = this.hlsModePolicy.onRunEnded({
      end: run.end ?? 'exited',
      endedAtMs: run.endedAtMs ?? Date.now(),
      copyFailureAtMs: run.copyFailureAtMs,
      copyFailureText: run.copyFailureText,
      segmentsInRun: run.segmentsInRun,
    });
    if (switched) this.announceTranscode();
    const stableMs = run.liveSinceMs === null ? 0 : Date.now() - run.liveSinceMs;
    if (stableMs >= ingest.stablePeriodMs) this.backoff.reset();
    const delayMs = this.backoff.nextDelayMs();
    const reason = run.lastError ?? `ffmpeg ended (${run.end})`;
    const spawnFailed = reason.startsWith('cannot start ffmpeg');
    this.inputFps = null;
    this.setState(spawnFailed ? 'failed' : 'reconnecting', `${reason}; retrying in ${delayMs} ms`);
    return delayMs;
  }

  private announceTranscode(): void {
    const reason = this.hlsModePolicy.reason;
    this.message = reason;
    this.log.warn({ reason }, 'HLS falls back to transcode');
    this.emitHealth();
  }

  private logExit(run: RunState, exit: FfmpegExit): void {
    const fields = {
      code: exit.code,
      signal: exit.signal,
      end: run.end,
      framesInRun: run.framesInRun,
      segmentsInRun: run.segmentsInRun,
      lastError: run.lastError,
    };
    if (run.end === 'stopped') this.log.info(fields, 'ffmpeg stopped');
    else this.log.warn(fields, 'ffmpeg ended');
  }

  private setState(state: CameraState, message: string | null): void {
    this.state = state;
    this.message = message;
    this.emitHealth();
  }

  private emitHealth(): void {
    this.updatedAt = new Date();
    this.lastHealthEmitMs = this.updatedAt.getTime();
    try {
      this.options.onHealth?.(this.health());
    } catch (err) {
      this.log.error({ err }, 'onHealth callback threw');
    }
  }

  /** Waits out the backoff; stop() cuts it short. */
  private async sleep(delayMs: number): Promise<void> {
    const delay = cancellableDelay(delayMs);
    this.wakeBackoff = delay.cancel;
    await delay.done;
    this.wakeBackoff = null;
  }
}
