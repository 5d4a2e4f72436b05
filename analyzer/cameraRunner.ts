// One owned camera's analysis loop: restore the checkpoint, read the camera's results stream on a
// dedicated connection, re-order by seq, run the pipeline, write closed minutes, THEN checkpoint.
// Rows are written before the checkpoint moves, so a crash replays from the checkpoint and re-writes the
// same totals (idempotent upserts): nothing lost, nothing counted twice.
import type { Redis } from 'ioredis';
import type { CameraAnalysis } from '../core/cameraAnalysis.ts';
import type { InferenceResult, SourceEnd } from '../core/inferenceResult.ts';
import { CameraPipeline, type PipelineFrame, type PipelineOutput } from '../analytics/cameraPipeline.ts';
import { pipelineFrameOf } from '../analytics/pipelineFrameOf.ts';
import { MINUTE_MS } from '../analytics/minuteCounts.ts';
import { SeqReorderBuffer } from '../analytics/seqReorderBuffer.ts';
import { setAnalysisPlan } from './analysisPlanWriter.ts';
import { analysisPlanFor } from './analysisPlan.ts';
import { saveCheckpoint, type CameraCheckpoint } from './checkpoints.ts';
import { readResultBatch } from './resultsReader.ts';
import {
  isSourceEnd,
  loadRules,
  openSession,
  sessionConfigHash,
  type CameraRunnerContext,
  type RunnerStats,
  type Session,
  type StreamItem,
} from './cameraSession.ts';
import { rulesHashOf } from './cameraAlerts.ts';
import { offlineSignals } from './cameraOfflineWatch.ts';
import type { CameraProblemRule } from '../core/alerts.ts';
import { SceneCutReport } from './sceneCutReport.ts';
import { ActivityReport } from './activityReport.ts';
import { quitRedis } from '../core/redis.ts';

export type { CameraRunnerContext } from './cameraSession.ts';

const RETRY_MS = 1000;

/** When the camera last had results, and whether its idle flush is done and stored. */
interface IdleState {
  lastEntryAtMs: number;
  flushed: boolean;
  writePending: boolean;
}

export class CameraRunner {
  private stopping = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private lastCheckpointAtMs = 0;
  private lastAnalysisCheckAtMs = 0;
  private lastHealthCheckAtMs = 0;
  private lastWriteErrorLogAtMs = 0;
  /** Sessions whose pipeline threw since the last checkpoint was saved. */
  private failedSessions = 0;
  private readonly sceneCutReport: SceneCutReport;
  private readonly activityReport: ActivityReport;
  /** Wall clock of timers (refresh, health, idle, checkpoint), injected so tests can drive it. */
  private readonly now: () => number;
  /** For status and tests. */
  readonly stats: RunnerStats = {
    framesProcessed: 0,
    invalidResults: 0,
    rowsWritten: 0,
    checkpoints: 0,
    writeFailures: 0,
    resumedAfterTrim: 0,
    idleFlushes: 0,
    seqsSkipped: 0,
    seqsMarkedSkipped: 0,
    duplicatesDropped: 0,
    framesOutOfOrder: 0,
    lateDropped: 0,
    alertSignals: 0,
    idleCommits: 0,
    sceneCuts: {},
    lastStreamId: '0',
  };

  constructor(
    private readonly ctx: CameraRunnerContext,
    readonly cameraId: string,
  ) {
    this.sceneCutReport = new SceneCutReport(ctx.redis, ctx.redisPrefix, cameraId);
    this.activityReport = new ActivityReport(ctx.redis, ctx.redisPrefix, cameraId);
    this.now = ctx.now ?? Date.now;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops the loop; nothing is written after this resolves. Idempotent. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    const reader = this.ctx.createReader();
    try {
      while (!this.stopping) {
        try {
          await this.session(reader);
        } catch (err) {
          if (this.stopping) break;
          this.ctx.logger.warn({ err, cameraId: this.cameraId }, 'camera analysis failed; retrying');
          await this.pause(RETRY_MS);
        }
      }
    } finally {
      await quitRedis(reader);
    }
  }

  /** Runs until stopped or until the camera's analysis changes (then the caller starts a new session). */
  private async session(reader: Redis): Promise<void> {
    const session = await openSession(this.ctx, this.cameraId, this.failedSessions, this.stats);
    if (session.state) await this.writePlan(session.analysis, session.state.pipeline);
    this.lastAnalysisCheckAtMs = this.now();
    const idle: IdleState = { lastEntryAtMs: this.now(), flushed: false, writePending: false };
    while (!this.stopping) {
      if (await this.setupChanged(session)) return;
      if (this.now() - this.lastHealthCheckAtMs >= this.ctx.alerts.healthPollMs) {
        this.lastHealthCheckAtMs = this.now();
        await this.checkOffline(session);
      }
      if (this.rowsHeldBack(session)) {
        // PostgreSQL has refused rows for a while: stop reading (the stream keeps the results) until it takes them.
        await this.commit(session);
        if (this.rowsHeldBack(session)) await this.pause(RETRY_MS);
        continue;
      }
      const outputs: PipelineOutput[] = [];
      const gotEntries = await this.readAndFeed(reader, session, outputs);
      if (this.stopping) return;
      this.noteActivity(session, idle, gotEntries, outputs);
      this.publishAndCollect(session, outputs);
      await this.commitIfDue(session, idle);
    }
  }

  /**
   * Re-reads the camera's analysis and rules every analysisRefreshMs; true when the session must end (after
   * committing): a changed analysis rebuilds the pipeline, changed rules reload the rule engine.
   */
  private async setupChanged(session: Session): Promise<boolean> {
    if (this.now() - this.lastAnalysisCheckAtMs < this.ctx.settings.analysisRefreshMs) return false;
    this.lastAnalysisCheckAtMs = this.now();
    const analysis = await this.ctx.analyses.get(this.cameraId).catch((err: unknown) => {
      // PostgreSQL away: keep analysing with the setup we have; the next check will see an edit.
      this.ctx.logger.warn({ err, cameraId: this.cameraId }, 'camera analysis not re-read');
      return session.analysis;
    });
    if (sessionConfigHash(this.ctx, this.cameraId, analysis) !== session.hash) {
      this.ctx.logger.info({ cameraId: this.cameraId }, 'camera analysis changed; rebuilding its pipeline');
      this.endAlerts(session);
      await this.commit(session);
      return true;
    }
    const rules = await loadRules(this.ctx, this.cameraId).catch(() => session.rules);
    if (rulesHashOf(rules) !== session.alerts.rulesHash) {
      // The pipeline resumes from the checkpoint as it is; the rule engine is restored under the new rules.
      this.ctx.logger.info({ cameraId: this.cameraId }, 'alert rules changed; reloading them');
      await this.commit(session);
      return true;
    }
    return false;
  }

  private rowsHeldBack(session: Session): boolean {
    return session.pending.size + session.alerts.pendingCount >= this.ctx.settings.pendingMaxRows;
  }

  /** One blocking read of the results stream, fed through the re-order buffer; whether anything came. */
  private async readAndFeed(reader: Redis, session: Session, outputs: PipelineOutput[]): Promise<boolean> {
    const { settings } = this.ctx;
    const batch = await readResultBatch(
      reader,
      this.ctx.redisPrefix,
      this.cameraId,
      session.lastStreamId,
      settings.readBatchSize,
      settings.readBlockMs,
    );
    if (this.stopping) return false;
    this.stats.invalidResults += batch.malformed;
    try {
      for (const entry of batch.entries) {
        if ('result' in entry) this.feed(session, entry.result, outputs);
        else if ('sourceEnd' in entry) this.endSource(session, entry.sourceEnd, outputs);
        else this.skip(session, entry.skippedSeq, outputs);
      }
      if (batch.lastId !== null) session.lastStreamId = batch.lastId;
    } catch (err) {
      // Pure code threw: the state (or this code) is broken, not a dependency; counted towards giving the state up.
      this.failedSessions += 1;
      throw err;
    }
    return batch.lastId !== null;
  }

  /** Once a camera goes idle its flushed rows and ended alerts are committed at once (tests wait on it). */
  private noteActivity(session: Session, idle: IdleState, gotEntries: boolean, outputs: PipelineOutput[]): void {
    if (gotEntries) {
      idle.lastEntryAtMs = this.now();
      idle.flushed = false;
      idle.writePending = false;
    } else if (!idle.flushed && session.state && this.now() - idle.lastEntryAtMs >= this.ctx.settings.idleFlushMs) {
      idle.flushed = true;
      idle.writePending = true;
      this.flushIdle(session, outputs);
    }
  }

  /** Publishes the outputs live and moves the minutes closed by the newest capture time to the pending rows. */
  private publishAndCollect(session: Session, outputs: PipelineOutput[]): void {
    this.stats.lastStreamId = session.lastStreamId;
    if (!session.state) return;
    const { pipeline, reorder } = session.state;
    // Counters kept in the state (so they survive a takeover), copied out for status.
    this.stats.seqsSkipped = reorder.seqsSkipped;
    this.stats.seqsMarkedSkipped = reorder.markedSkipped;
    this.stats.duplicatesDropped = reorder.staleDropped;
    this.stats.framesOutOfOrder = pipeline.framesOutOfOrder;
    this.stats.lateDropped = pipeline.lateDropped;
    session.live.publish(outputs, pipeline.frameSizePx, this.now());
    session.pending.add(pipeline.flushClosed(pipeline.newestCapturedAtMs - this.ctx.settings.allowedLatenessMs));
  }

  /** Rows and alerts waiting, a checkpoint due, or an idle flush to store: commit (rows first, then the checkpoint). */
  private async commitIfDue(session: Session, idle: IdleState): Promise<void> {
    const due =
      this.now() - this.lastCheckpointAtMs >= this.ctx.settings.checkpointIntervalMs &&
      session.lastStreamId !== session.checkpointedId;
    if (session.pending.size > 0 || session.alerts.pendingCount > 0 || due || idle.writePending)
      await this.commit(session);
    if (idle.writePending && session.pending.size === 0 && session.alerts.pendingCount === 0) {
      idle.writePending = false;
      this.stats.idleCommits += 1;
      // Said where an operator (or a test driving this role as a process) can see the camera's last minute is stored.
      this.ctx.logger.info({ cameraId: this.cameraId }, 'camera idle; open minutes and alerts written');
    }
  }

  private feed(session: Session, result: InferenceResult, outputs: PipelineOutput[]): void {
    if (!session.state) {
      session.state = {
        pipeline: new CameraPipeline(
          this.cameraId,
          session.analysis,
          { widthPx: result.frameWidthPx, heightPx: result.frameHeightPx },
          this.ctx.pipelineOptions,
        ),
        reorder: session.reorderBeforeState ?? this.newReorderBuffer(),
      };
      session.reorderBeforeState = null;
      void this.writePlan(session.analysis, session.state.pipeline);
    }
    for (const released of session.state.reorder.push(result)) this.process(session, released, outputs);
  }

  /**
   * The source ended after the frame before `end.seq`: the marker takes its seq place in the re-order buffer, so
   * every track ends after the source's last frame is analysed, not before (before any result, nothing ended).
   */
  private endSource(session: Session, end: SourceEnd, outputs: PipelineOutput[]): void {
    if (!session.state) return;
    const item: StreamItem = { ...end, sourceEnded: true };
    for (const released of session.state.reorder.push(item)) this.process(session, released, outputs);
  }

  /**
   * A seq dropped or rejected upstream: what waited behind it goes on at once. Before any result it goes to a
   * re-order buffer the first result takes over (the queue drops a burst's first frames before workers answer any).
   */
  private skip(session: Session, seq: number, outputs: PipelineOutput[]): void {
    if (!session.state) {
      // Nothing is buffered before the first result, so this releases nothing: it spares the first results a wait.
      (session.reorderBeforeState ??= this.newReorderBuffer()).skip(seq);
      return;
    }
    for (const released of session.state.reorder.skip(seq)) this.process(session, released, outputs);
  }

  private newReorderBuffer(): SeqReorderBuffer<StreamItem> {
    return new SeqReorderBuffer<StreamItem>({
      maxWaitMs: this.ctx.settings.reorderMaxWaitMs,
      maxBuffered: this.ctx.settings.reorderMaxBuffered,
    });
  }

  private process(session: Session, result: StreamItem, outputs: PipelineOutput[]): void {
    if (isSourceEnd(result)) {
      // Crossings settled by the end go into the open minutes; no frame to publish or judge alerts on.
      session.state!.pipeline.endSource(result.seq);
      return;
    }
    let frame: PipelineFrame;
    try {
      frame = pipelineFrameOf(result);
    } catch (err) {
      this.stats.invalidResults += 1;
      this.ctx.logger.warn({ err, cameraId: this.cameraId, seq: result.seq }, 'invalid result skipped');
      return;
    }
    const pipeline = session.state!.pipeline;
    const output = pipeline.process(frame);
    this.activityReport.onFrame(
      result.capturedAtMs,
      result.frameWidthPx,
      result.frameHeightPx,
      frame.detections.length,
    );
    if (output) {
      outputs.push(output);
      session.alerts.onFrame(result, output, pipeline.frameSizePx);
    }
    this.stats.framesProcessed += 1;
  }

  /**
   * The stream went quiet (camera offline, ingest stopped): nothing will fill the re-order buffer's gaps
   * and no later capture time will close the open minutes, so both are let out now.
   */
  private flushIdle(session: Session, outputs: PipelineOutput[]): void {
    const state = session.state!;
    for (const released of state.reorder.drain()) this.process(session, released, outputs);
    // Tracks are NOT ended here: a quiet stream may resume with the next capture time (a Redis or worker
    // outage), and ending tracks at a wall-clock moment would count differently from a run without the outage
    // (the resilience suite counted a motorbike twice). A capture gap ends them at the next frame (a scene cut).
    if (state.pipeline.newestCapturedAtMs > -Infinity) {
      session.pending.add(state.pipeline.flushClosed(state.pipeline.newestCapturedAtMs + MINUTE_MS));
    }
    this.endAlerts(session);
    this.stats.idleFlushes += 1;
  }

  /** Open conditions end at the newest capture time: nobody can confirm them any more (idle, rules replaced). */
  private endAlerts(session: Session): void {
    const newest = session.state?.pipeline.newestCapturedAtMs ?? -Infinity;
    if (newest > -Infinity) session.alerts.endAll(newest);
  }

  /** Camera-offline alerts come from ingest's health history, not from frames (an offline camera sends none). */
  private async checkOffline(session: Session): Promise<void> {
    const rule = session.rules.find((r): r is CameraProblemRule => r.type === 'cameraOffline' && r.enabled !== false);
    if (!rule) return;
    try {
      const status = await this.ctx.alerts.health.offlineStatus(this.cameraId);
      const openKey = await this.ctx.alerts.store.activeKey(this.cameraId, rule.id, 'camera');
      const signals = offlineSignals(this.cameraId, rule, status, openKey, this.now());
      session.alerts.add(signals);
    } catch (err) {
      this.ctx.logger.warn({ err, cameraId: this.cameraId }, 'camera health not checked for offline alerts');
    }
  }

  /** Writes the alert signals that wait; false (kept for retry) when PostgreSQL refused them. */
  private async writeAlerts(session: Session): Promise<boolean> {
    const signals = session.alerts.take();
    if (signals.length === 0) return true;
    const { store, announce, evidence } = this.ctx.alerts;
    let changes: Awaited<ReturnType<typeof store.applySignals>>;
    try {
      changes = await store.applySignals(session.camera, signals);
    } catch (err) {
      session.alerts.giveBack(signals);
      this.stats.writeFailures += 1;
      this.logWriteError(err, session);
      return false;
    }
    this.stats.alertSignals += signals.length;
    announce(changes);
    for (const change of changes) {
      if (change.raisedBy?.evidence) evidence.onRaised(change.alert, change.raisedBy.evidence, session.analysis);
    }
    return true;
  }

  private logWriteError(err: unknown, session: Session): void {
    if (this.now() - this.lastWriteErrorLogAtMs > 10_000) {
      this.lastWriteErrorLogAtMs = this.now();
      this.ctx.logger.warn(
        { err, cameraId: this.cameraId, pendingRows: session.pending.size, pendingAlerts: session.alerts.pendingCount },
        'rows not written; kept for retry, checkpoint held back',
      );
    }
  }

  /** Writes what waits, then (only if that succeeded and the lease is held) the checkpoint. */
  private async commit(session: Session): Promise<void> {
    if (this.stopping) return;
    if (!(await this.writeAlerts(session))) return;
    if (session.pending.size > 0) {
      const { counts, zones } = session.pending.rows();
      try {
        await this.ctx.store.upsertCounts(counts);
        await this.ctx.store.upsertZoneStats(zones);
      } catch (err) {
        this.stats.writeFailures += 1;
        this.logWriteError(err, session);
        return;
      }
      this.stats.rowsWritten += session.pending.size;
      session.pending.clear();
    }
    if (this.stopping) return;
    const pipeline = session.state?.pipeline;
    const checkpoint: CameraCheckpoint = {
      streamId: session.lastStreamId,
      configHash: session.hash,
      writeFromMs: session.writeFromMs,
      watermarkMs:
        pipeline && pipeline.newestCapturedAtMs > -Infinity
          ? pipeline.newestCapturedAtMs - this.ctx.settings.allowedLatenessMs
          : null,
      state: session.state ? session.snapshotter.snapshot(session.state) : null,
      alerts: session.alerts.checkpoint(),
    };
    const saved = await saveCheckpoint(
      this.ctx.redis,
      this.ctx.redisPrefix,
      this.cameraId,
      this.ctx.ownerId,
      checkpoint,
    );
    if (!saved) {
      this.ctx.logger.warn({ cameraId: this.cameraId }, 'lease lost; camera analysis stops');
      this.stopping = true;
      this.ctx.onLeaseLost(this.cameraId);
      return;
    }
    session.checkpointedId = session.lastStreamId;
    this.failedSessions = 0;
    this.lastCheckpointAtMs = this.now();
    this.stats.checkpoints += 1;
    if (pipeline) {
      this.stats.sceneCuts = pipeline.sceneCutStats.byReason;
      await this.sceneCutReport
        .publish(pipeline)
        .catch((err: unknown) =>
          this.ctx.logger.warn({ err, cameraId: this.cameraId }, 'scene cut totals not published'),
        );
    }
    await this.activityReport
      .publish()
      .catch((err: unknown) =>
        this.ctx.logger.warn({ err, cameraId: this.cameraId }, 'analysis activity not published'),
      );
  }

  private async writePlan(analysis: CameraAnalysis, pipeline: CameraPipeline): Promise<void> {
    try {
      const plan = analysisPlanFor(
        analysis,
        pipeline.frameSizePx,
        this.ctx.settings.cropMarginPx,
        this.ctx.settings.inferenceRegions,
      );
      await setAnalysisPlan(this.ctx.redis, this.ctx.redisPrefix, this.cameraId, plan);
    } catch (err) {
      this.ctx.logger.warn(
        { err, cameraId: this.cameraId },
        'analysis plan not written; workers keep the previous one',
      );
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
