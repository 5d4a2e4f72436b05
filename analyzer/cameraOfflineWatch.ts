// Camera-offline alerts, from ingest's health history rather than from frames (an offline camera sends
// none): a camera not live for the rule's duration raises, and its return to live ends the alert. The
// alert starts at the first non-live health row after the last live one, so every analyzer derives the
// same key and a takeover re-raises nothing.
import type { AlertSignal, CameraProblemRule } from '../core/alerts.ts';
import { ALERT_DEFAULT_SEVERITY } from '../core/alerts.ts';
import type { OfflineStatus } from '../store/cameraHealth.ts';

/** Default duration of the camera-offline rule when the camera's rules do not set one. */
export const OFFLINE_DEFAULT_S = 10;

/**
 * The signals one look at a camera calls for. `openKey` is the key of its active offline alert, if any.
 * 'stopped' is a camera disabled on purpose, not a fault: it ends an open alert and raises none.
 */
export function offlineSignals(
  cameraId: string,
  rule: CameraProblemRule,
  status: OfflineStatus,
  openKey: string | null,
  nowMs: number,
): AlertSignal[] {
  const subject = 'camera';
  const minMs = (rule.minDurationS ?? OFFLINE_DEFAULT_S) * 1000;
  const severity = rule.severity ?? ALERT_DEFAULT_SEVERITY.cameraOffline;
  const base = { cameraId, ruleId: rule.id, type: 'cameraOffline' as const, severity, subject };
  const offline = status.offlineSinceMs !== null && status.state !== 'stopped';
  if (!offline) {
    if (!openKey) return [];
    const atMs = status.latestAtMs ?? nowMs;
    return [
      {
        ...base,
        kind: 'end',
        key: openKey,
        startedAtMs: atMs,
        atMs,
        summary: 'Camera is back',
        details: { state: status.state },
      },
    ];
  }
  const sinceMs = status.offlineSinceMs!;
  const key = `${cameraId}:${rule.id}:${subject}:${sinceMs}`;
  if (openKey === key) return [];
  const signals: AlertSignal[] = [];
  // An alert of an earlier outage still open (its end was never seen, e.g. no analyzer ran then).
  if (openKey)
    signals.push({
      ...base,
      kind: 'end',
      key: openKey,
      startedAtMs: sinceMs,
      atMs: sinceMs,
      summary: 'Camera was back',
      details: {},
    });
  if (nowMs - sinceMs < minMs) return signals;
  const offlineS = Math.round((nowMs - sinceMs) / 1000);
  return [
    ...signals,
    {
      ...base,
      kind: 'raise',
      key,
      startedAtMs: sinceMs,
      atMs: nowMs,
      summary: `Camera offline for ${offlineS} s (${status.state})`,
      details: { state: status.state, offlineS },
    },
  ];
}
