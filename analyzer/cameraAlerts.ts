// One camera's alert rules as the analyzer runs them: the rule engine fed frame by frame after the
// pipeline, its signals held until the commit writes them (before the checkpoint moves), and its state
// checkpointed beside the pipeline's so a takeover raises nothing twice and misses nothing.
import type { AlertRule, AlertSignal } from '../core/alerts.ts';
import type { CameraAnalysis } from '../core/cameraAnalysis.ts';
import type { InferenceResult } from '../core/inferenceResult.ts';
import type { PipelineOutput } from '../analytics/cameraPipeline.ts';
import type { FrameSizePx } from '../core/geometry.ts';
import { AlertEngine } from '../alerts/alertEngine.ts';
import { stableJson } from './configHash.ts';
import { createHash } from 'node:crypto';

/** What the checkpoint keeps of a camera's alerts. */
export interface AlertCheckpoint {
  rulesHash: string;
  frameSizePx: FrameSizePx;
  engine: unknown;
}

export function rulesHashOf(rules: readonly AlertRule[]): string {
  return createHash('sha256').update(stableJson(rules)).digest('hex').slice(0, 32);
}

export class CameraAlerts {
  readonly rulesHash: string;
  private engine: AlertEngine | null = null;
  private frameSizePx: FrameSizePx | null = null;
  private pending: AlertSignal[] = [];

  constructor(
    private readonly cameraId: string,
    private readonly rules: readonly AlertRule[],
    private readonly analysis: CameraAnalysis,
    private readonly timeZone: string,
    restoreFrom: AlertCheckpoint | null,
  ) {
    this.rulesHash = rulesHashOf(rules);
    if (restoreFrom) {
      // Restored whatever the rules now are: the engine keeps unchanged rules exactly, and ends the open
      // alerts of rules removed since (an edit of one rule must not drop the others' open alerts).
      try {
        this.engine = AlertEngine.restore(restoreFrom.engine, ...this.engineArgs(restoreFrom.frameSizePx));
        this.frameSizePx = restoreFrom.frameSizePx;
      } catch {
        this.engine = null;
      }
    }
  }

  /** Signals waiting to be written. */
  get pendingCount(): number {
    return this.pending.length;
  }

  onFrame(result: InferenceResult, output: PipelineOutput, frameSizePx: FrameSizePx): void {
    if (this.rules.length === 0) return;
    if (!this.engine) {
      this.frameSizePx = { widthPx: frameSizePx.widthPx, heightPx: frameSizePx.heightPx };
      this.engine = new AlertEngine(...this.engineArgs(this.frameSizePx));
    }
    const frame = {
      seq: result.seq,
      capturedAtMs: result.capturedAtMs,
      frameWidthPx: frameSizePx.widthPx,
      frameHeightPx: frameSizePx.heightPx,
      image: result.image,
    };
    this.pending.push(...this.engine.onFrame(frame, output));
  }

  /**
   * Nothing will be seen of this camera for a while (its stream went quiet, or its rules are being
   * replaced): every open condition ends at the newest capture time, as nobody can confirm it any more.
   */
  endAll(atMs: number): void {
    if (this.engine) this.pending.push(...this.engine.endAll(atMs));
  }

  /** Signals from outside the engine (camera-offline, from health), written with the engine's. */
  add(signals: readonly AlertSignal[]): void {
    this.pending.push(...signals);
  }

  /** Takes the waiting signals; the caller puts them back with `giveBack` if they could not be written. */
  take(): AlertSignal[] {
    const taken = this.pending;
    this.pending = [];
    return taken;
  }

  giveBack(signals: AlertSignal[]): void {
    this.pending = [...signals, ...this.pending];
  }

  checkpoint(): AlertCheckpoint | null {
    if (!this.engine || !this.frameSizePx) return null;
    return { rulesHash: this.rulesHash, frameSizePx: this.frameSizePx, engine: this.engine.snapshot() };
  }

  private engineArgs(frameSizePx: FrameSizePx): ConstructorParameters<typeof AlertEngine> {
    return [this.cameraId, [...this.rules], this.analysis, frameSizePx, { timeZone: this.timeZone }];
  }
}
