// One camera's rule engine: each analysed frame's pipeline output in, AlertSignals out, deterministic in
// event time (capture times only, no clock) and checkpointable: snapshot → restore continues exactly.
import type { AlertEvidence, AlertRule, AlertSignal } from '../core/alerts.ts';
import type { CameraAnalysis, NamedLine, NamedZone } from '../core/cameraAnalysis.ts';
import { ValidationError } from '../core/errors.ts';
import type { PointPx } from '../core/geometry.ts';
import type { PipelineOutput } from '../analytics/cameraPipeline.ts';
import { Homography } from '../analytics/homography.ts';
import { scaleCameraAnalysis } from '../analytics/scaleAnalysis.ts';
import type { FrameSizePx } from '../core/geometry.ts';
import { IncidentBook, type IncidentBookState, type IncidentRule } from './incidentBook.ts';
import { createEvaluator } from './rules/createEvaluator.ts';
import type { AlertFrame, FrameContext, Observation, RuleEvaluator } from './ruleEvaluator.ts';
import { assertTimeZone, isActiveAt } from './schedule.ts';
import { cooldownMsOf, severityOf } from './ruleDefaults.ts';
import { withNames } from './alertFacts.ts';

export interface AlertEngineOptions {
  /** IANA zone the rules' schedules are written in (config alerts.timeZone). */
  timeZone: string;
}

/** Bumped when a stored snapshot can no longer be read by this code (the analyzer then starts fresh). */
export const ALERT_ENGINE_SNAPSHOT_VERSION = 1;

interface RuleSnapshot {
  /** The rule as it was: an evaluator's state is resumed only under the very same rule. */
  fingerprint: string;
  incidentRule: IncidentRule;
  evaluator: unknown;
  book: IncidentBookState;
}

export interface AlertEngineSnapshot {
  version: number;
  cameraId: string;
  lastCapturedAtMs: number | null;
  rules: Record<string, RuleSnapshot>;
}

interface RuleRunner {
  rule: AlertRule;
  fingerprint: string;
  evaluator: RuleEvaluator;
  book: IncidentBook;
}

export class AlertEngine {
  readonly cameraId: string;
  /** The pipeline's frame size: tracks, zones and lines are in its pixels. */
  readonly frameSizePx: FrameSizePx;
  private readonly timeZone: string;
  private readonly runners: RuleRunner[] = [];
  private readonly zones: Map<string, NamedZone>;
  private readonly lines: Map<string, NamedLine>;
  private readonly homography: Homography | null;
  /** Books of rules gone since the snapshot (removed or disabled): their open alerts end at the next frame. */
  private orphans: IncidentBook[] = [];
  private lastCapturedAtMs: number | null = null;
  /** Frames ignored because their capture time went backwards. */
  framesOutOfOrder = 0;

  /**
   * `rules` as effectiveRules() gives them; `analysis` as drawn (it is scaled here to `frameSizePx`, the
   * size the camera's CameraPipeline was built for, like the rules' lane directions).
   */
  constructor(
    cameraId: string,
    rules: readonly AlertRule[],
    analysis: CameraAnalysis,
    frameSizePx: FrameSizePx,
    options: AlertEngineOptions,
  ) {
    assertTimeZone(options.timeZone);
    const scaled = scaleCameraAnalysis(analysis, frameSizePx);
    this.cameraId = cameraId;
    this.frameSizePx = { widthPx: frameSizePx.widthPx, heightPx: frameSizePx.heightPx };
    this.timeZone = options.timeZone;
    this.zones = new Map(scaled.zones.map((z) => [z.id, z]));
    this.lines = new Map(scaled.lines.map((l) => [l.id, l]));
    this.homography = scaled.calibration ? Homography.fromCalibration(scaled.calibration) : null;
    const sx = analysis.widthPx > 0 ? frameSizePx.widthPx / analysis.widthPx : 1;
    const sy = analysis.heightPx > 0 ? frameSizePx.heightPx / analysis.heightPx : 1;
    const ids = new Set<string>();
    for (const rule of rules) {
      if (ids.has(rule.id)) throw new ValidationError(`rule id ${rule.id} is used twice`, { field: 'rules' });
      ids.add(rule.id);
      if (rule.enabled === false) continue;
      const evaluator = createEvaluator(scaleRule(rule, sx, sy));
      if (!evaluator) continue;
      const incidentRule = {
        cameraId,
        ruleId: rule.id,
        type: rule.type,
        severity: severityOf(rule),
        cooldownMs: cooldownMsOf(rule),
      };
      this.runners.push({ rule, fingerprint: JSON.stringify(rule), evaluator, book: new IncidentBook(incidentRule) });
    }
  }

  /** Alerts open now, over every rule. */
  get openAlertCount(): number {
    return (
      this.runners.reduce((sum, r) => sum + r.book.openCount, 0) + this.orphans.reduce((sum, b) => sum + b.openCount, 0)
    );
  }

  /** Feeds one analysed frame (in capture order) and the camera pipeline's output for it. */
  onFrame(frame: AlertFrame, output: PipelineOutput): AlertSignal[] {
    const tMs = frame.capturedAtMs;
    if (this.lastCapturedAtMs !== null && tMs < this.lastCapturedAtMs) {
      this.framesOutOfOrder += 1;
      return [];
    }
    this.lastCapturedAtMs = tMs;
    const signals = this.orphans.flatMap((book) => book.endAll(tMs, 'ruleRemoved'));
    this.orphans = [];
    const context: FrameContext = {
      frame,
      output,
      tMs,
      tracksById: new Map(output.tracks.tracks.map((t) => [t.id, t])),
      speedsById: new Map(output.speeds.map((s) => [s.trackId, s.speedKmh])),
      zones: this.zones,
      lines: this.lines,
      homography: this.homography,
    };
    const evidenceOf = (observation: Observation) => this.evidence(frame, observation);
    for (const runner of this.runners) {
      // Evaluated even outside the schedule, so durations and references stay current when it opens.
      const observations = runner.evaluator.evaluate(context).map((o) => withNames(o, this.zones, this.lines));
      const active = isActiveAt(runner.rule.schedule, tMs, this.timeZone);
      signals.push(...runner.book.step(tMs, observations, active, evidenceOf));
    }
    return signals;
  }

  /**
   * The camera's frames stopped: every open alert ends at `atMs` (the newest capture time). A condition
   * still true when frames return re-opens the same alert within the cooldown.
   */
  endAll(atMs: number): AlertSignal[] {
    const signals = [...this.orphans, ...this.runners.map((r) => r.book)].flatMap((book) =>
      book.endAll(atMs, 'cameraIdle'),
    );
    this.orphans = [];
    return signals;
  }

  /** Plain JSON (a few kB): the state to resume from with AlertEngine.restore. */
  snapshot(): AlertEngineSnapshot {
    const rules: Record<string, RuleSnapshot> = {};
    for (const runner of this.runners) {
      rules[runner.rule.id] = {
        fingerprint: runner.fingerprint,
        incidentRule: { ...runner.book.rule },
        evaluator: runner.evaluator.saveState(),
        book: runner.book.saveState(),
      };
    }
    this.orphans.forEach((book, i) => {
      rules[`orphan-${i}:${book.rule.ruleId}`] = {
        fingerprint: '',
        incidentRule: { ...book.rule },
        evaluator: null,
        book: book.saveState(),
      };
    });
    return {
      version: ALERT_ENGINE_SNAPSHOT_VERSION,
      cameraId: this.cameraId,
      lastCapturedAtMs: this.lastCapturedAtMs,
      rules,
    };
  }

  /**
   * An engine built like the constructor, resumed from a snapshot. A rule unchanged since the snapshot
   * continues exactly; a changed one starts its evaluation afresh but keeps its open alerts (which end, or
   * re-open within the cooldown, by the new rule); a rule gone or disabled ends its open alerts next frame.
   */
  static restore(
    snapshot: unknown,
    cameraId: string,
    rules: readonly AlertRule[],
    analysis: CameraAnalysis,
    frameSizePx: FrameSizePx,
    options: AlertEngineOptions,
  ): AlertEngine {
    const engine = new AlertEngine(cameraId, rules, analysis, frameSizePx, options);
    const saved = snapshot as Partial<AlertEngineSnapshot> | null;
    if (
      !saved ||
      typeof saved !== 'object' ||
      saved.version !== ALERT_ENGINE_SNAPSHOT_VERSION ||
      typeof saved.rules !== 'object' ||
      saved.rules === null
    ) {
      throw new ValidationError('not an alert engine snapshot of this version', { field: 'snapshot' });
    }
    if (saved.cameraId !== cameraId)
      throw new ValidationError(`snapshot is of camera ${String(saved.cameraId)}`, { field: 'cameraId' });
    engine.lastCapturedAtMs = saved.lastCapturedAtMs ?? null;
    const used = new Set<string>();
    for (const runner of engine.runners) {
      const rule = saved.rules[runner.rule.id];
      if (!rule) continue;
      used.add(runner.rule.id);
      runner.book = new IncidentBook(runner.book.rule, JSON.parse(JSON.stringify(rule.book)) as IncidentBookState);
      if (rule.fingerprint === runner.fingerprint) runner.evaluator.loadState(rule.evaluator);
    }
    for (const [id, rule] of Object.entries(saved.rules)) {
      if (used.has(id)) continue;
      const book = new IncidentBook(rule.incidentRule, JSON.parse(JSON.stringify(rule.book)) as IncidentBookState);
      if (book.openCount > 0) engine.orphans.push(book);
    }
    return engine;
  }

  private evidence(frame: AlertFrame, observation: Observation): AlertEvidence {
    // Boxes are in the pipeline's frame size; the evidence frame (by seq) may be another size.
    const sx = frame.frameWidthPx / this.frameSizePx.widthPx;
    const sy = frame.frameHeightPx / this.frameSizePx.heightPx;
    const boxes =
      sx === 1 && sy === 1
        ? observation.boxes
        : observation.boxes.map((b) => ({
            ...b,
            box: [b.box[0] * sx, b.box[1] * sy, b.box[2] * sx, b.box[3] * sy] as [number, number, number, number],
          }));
    return {
      seq: frame.seq,
      capturedAtMs: frame.capturedAtMs,
      frameWidthPx: frame.frameWidthPx,
      frameHeightPx: frame.frameHeightPx,
      boxes,
      zoneId: observation.zoneId,
      lineId: observation.lineId,
    };
  }
}

/** The rule with its lane direction in px of the analysed frame (it is drawn on the analysis still). */
function scaleRule(rule: AlertRule, sx: number, sy: number): AlertRule {
  if (rule.type !== 'wrongWay' || !rule.laneDirection) return rule;
  const scale = (p: PointPx): PointPx => ({ x: p.x * sx, y: p.y * sy });
  return { ...rule, laneDirection: { from: scale(rule.laneDirection.from), to: scale(rule.laneDirection.to) } };
}
