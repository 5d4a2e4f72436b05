// One rule's alerts through their life: raise once per incident, throttled updates while it holds, end when
// it stops, and a return within the cooldown re-opens the same alert (same key) instead of raising a new one.
import type { AlertEvidence, AlertSignal, AlertType, Severity } from '../core/alerts.ts';
import { round1, type AlertDetails, type Observation } from './ruleEvaluator.ts';

/** An open alert gets at most one update per this much event time (keeps store and socket writes low). */
export const UPDATE_MIN_INTERVAL_MS = 5000;

interface OpenIncident {
  key: string;
  startedAtMs: number;
  lastSignalMs: number;
  /** The `significant` and summary of the last signal sent. */
  significant: string;
  summary: string;
  details: AlertDetails;
}

interface ClosedIncident {
  key: string;
  startedAtMs: number;
  endedAtMs: number;
}

/** Plain JSON: part of the engine's snapshot. Records keyed by subject (never integer-like, so order is insertion). */
export interface IncidentBookState {
  open: Record<string, OpenIncident>;
  /** Ended within the cooldown, by subject: candidates for re-opening. */
  closed: Record<string, ClosedIncident>;
  /** Since when the rule's schedule has been active; null while it is not. */
  activeSinceMs: number | null;
}

export interface IncidentRule {
  cameraId: string;
  ruleId: string;
  type: AlertType;
  severity: Severity;
  cooldownMs: number;
}

/** cameraIdle: the camera's frames stopped (offline, ingest stopped), so nobody can confirm the condition. */
export type EndReason = 'cleared' | 'scheduleClosed' | 'ruleRemoved' | 'cameraIdle';

export class IncidentBook {
  constructor(
    readonly rule: IncidentRule,
    private state: IncidentBookState = { open: {}, closed: {}, activeSinceMs: null },
  ) {}

  get openCount(): number {
    return Object.keys(this.state.open).length;
  }

  saveState(): IncidentBookState {
    return JSON.parse(JSON.stringify(this.state)) as IncidentBookState;
  }

  /**
   * Turns one frame's observations into signals. Outside the schedule nothing is raised and whatever is
   * open ends; subjects open but not observed end; evidence is asked for only where a signal carries it.
   */
  step(
    tMs: number,
    observations: readonly Observation[],
    scheduleActive: boolean,
    evidenceOf: (observation: Observation) => AlertEvidence,
  ): AlertSignal[] {
    if (!scheduleActive) {
      this.state.activeSinceMs = null;
      const signals = this.endAll(tMs, 'scheduleClosed');
      this.forgetExpired(tMs);
      return signals;
    }
    this.state.activeSinceMs ??= tMs;
    const signals: AlertSignal[] = [];
    const seen = new Set<string>();
    for (const observation of observations) {
      if (seen.has(observation.subject)) continue;
      seen.add(observation.subject);
      const open = this.state.open[observation.subject];
      if (open) this.keepOpen(open, observation, tMs, signals);
      else this.open(observation, tMs, signals, evidenceOf);
      if (observation.instantaneous) signals.push(this.end(observation.subject, tMs, 'cleared'));
    }
    for (const subject of Object.keys(this.state.open).sort()) {
      if (!seen.has(subject)) signals.push(this.end(subject, tMs, 'cleared'));
    }
    this.forgetExpired(tMs);
    return signals;
  }

  /** Ends every open alert (schedule closed, rule removed). */
  endAll(tMs: number, reason: EndReason): AlertSignal[] {
    return Object.keys(this.state.open)
      .sort()
      .map((subject) => this.end(subject, tMs, reason));
  }

  private keepOpen(open: OpenIncident, observation: Observation, tMs: number, signals: AlertSignal[]): void {
    // The end carries the latest figures, but the headline of the last signal sent ('Crowd of 12 people'),
    // not of the thinning frames that ended it ('Crowd of 0 people').
    open.details = observation.details;
    if (observation.significant === open.significant || tMs - open.lastSignalMs < UPDATE_MIN_INTERVAL_MS) return;
    open.significant = observation.significant;
    open.summary = observation.summary;
    open.lastSignalMs = tMs;
    signals.push(
      this.signal(
        'update',
        observation.subject,
        open.key,
        open.startedAtMs,
        tMs,
        observation.summary,
        observation.details,
      ),
    );
  }

  private open(
    observation: Observation,
    tMs: number,
    signals: AlertSignal[],
    evidenceOf: (observation: Observation) => AlertEvidence,
  ): void {
    const { subject } = observation;
    const closed = this.state.closed[subject];
    const base = {
      lastSignalMs: tMs,
      significant: observation.significant,
      summary: observation.summary,
      details: observation.details,
    };
    if (closed && tMs <= closed.endedAtMs + this.rule.cooldownMs) {
      // The same incident coming back: one alert per incident, so the stored alert re-opens (occurrences + 1).
      delete this.state.closed[subject];
      this.state.open[subject] = { key: closed.key, startedAtMs: closed.startedAtMs, ...base };
      const details = { ...observation.details, reopened: true };
      signals.push({
        ...this.signal('update', subject, closed.key, closed.startedAtMs, tMs, observation.summary, details),
        evidence: evidenceOf(observation),
      });
      return;
    }
    // Not before the schedule opened, and after the last incident of this subject so keys never repeat.
    const startedAtMs = Math.min(
      tMs,
      Math.max(observation.sinceMs, this.state.activeSinceMs ?? -Infinity, closed ? closed.endedAtMs + 1 : -Infinity),
    );
    const key = `${this.rule.cameraId}:${this.rule.ruleId}:${subject}:${startedAtMs}`;
    delete this.state.closed[subject];
    this.state.open[subject] = { key, startedAtMs, ...base };
    signals.push({
      ...this.signal('raise', subject, key, startedAtMs, tMs, observation.summary, observation.details),
      evidence: evidenceOf(observation),
    });
  }

  private end(subject: string, tMs: number, reason: EndReason): AlertSignal {
    const open = this.state.open[subject]!;
    delete this.state.open[subject];
    this.state.closed[subject] = { key: open.key, startedAtMs: open.startedAtMs, endedAtMs: tMs };
    const details = { ...open.details, durationS: round1((tMs - open.startedAtMs) / 1000), endReason: reason };
    return this.signal('end', subject, open.key, open.startedAtMs, tMs, open.summary, details);
  }

  private forgetExpired(tMs: number): void {
    for (const [subject, closed] of Object.entries(this.state.closed)) {
      if (tMs > closed.endedAtMs + this.rule.cooldownMs) delete this.state.closed[subject];
    }
  }

  private signal(
    kind: AlertSignal['kind'],
    subject: string,
    key: string,
    startedAtMs: number,
    atMs: number,
    summary: string,
    details: AlertDetails,
  ): AlertSignal {
    const { cameraId, ruleId, type, severity } = this.rule;
    return { kind, key, cameraId, ruleId, type, severity, subject, startedAtMs, atMs, summary, details };
  }
}
