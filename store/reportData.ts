// The figures of a report, read from the stored minutes, alerts and their history for one period and one
// district (or the province): traffic by class, line and local hour, alerts by type, severity and outcome,
// time to acknowledge, and camera uptime from offline alerts. Read-only; the same tables the API answers from.
import type { Pool } from 'pg';
import { localHour, type ReportPeriod } from '../core/reportPeriod.ts';
import { rulePrecision } from './alertPrecision.ts';

export interface ReportLine {
  cameraName: string;
  lineId: string;
  total: number;
  byClass: Record<string, number>;
}

export interface ReportCamera {
  cameraName: string;
  offlineMinutes: number;
  /** Share of the period the camera was not under an offline alert, 0..1. */
  uptime: number;
}

/** How often one camera's rule was a false alarm in the period, as officers judged its alerts. */
export interface ReportRuleFalseAlarms {
  cameraName: string;
  ruleId: string;
  /** The rule's name as the operator set it; null when it has none (show its type). */
  ruleName: string | null;
  type: string;
  /** Acknowledged or resolved. */
  confirmed: number;
  /** Dismissed: every dismissal is a false alarm, with its reason. */
  dismissed: number;
  unjudged: number;
  /** dismissed / (confirmed + dismissed) = 1 − the rule's precision (/api/alerts/precision); null before any was judged. */
  falseAlarmShare: number | null;
}

/** Hours a zone with a capacity was congested in the period (reports/reportCongestion.ts, as /api/congestion says). */
export interface ReportZoneCongestion {
  cameraName: string;
  zoneName: string;
  capacityVehicles: number;
  hoursMeasured: number;
  /** Hours at level ≥ 3 (heavy), the congestion rule's default line. */
  congestedHours: number;
  /** Of those, hours at level 4 (jammed). */
  jammedHours: number;
  /** Local hour of day 0..23 → congested hours that started at it. */
  byLocalHour: number[];
}

export interface ReportSummary {
  period: { kind: ReportPeriod['kind']; from: string; to: string };
  district: string | null;
  traffic: {
    total: number;
    previousTotal: number;
    /** (total − previousTotal) / previousTotal; null when the previous period counted nothing. */
    changeRatio: number | null;
    byClass: Record<string, number>;
    motorbikeShare: number | null;
    lines: ReportLine[];
    /** Counted per district (the province report's breakdown). */
    byDistrict: Record<string, number>;
    /** Local hour 0..23 → vehicles (and people) counted in that hour over the period. */
    byHour: number[];
    peakHours: number[];
    /** Zones with a capacity, most congested first. */
    congestion: ReportZoneCongestion[];
  };
  security: {
    total: number;
    byType: Record<string, number>;
    bySeverity: Record<string, number>;
    byState: Record<string, number>;
    byDistrict: Record<string, number>;
    acknowledged: number;
    ackP50S: number | null;
    ackP95S: number | null;
    /** Per camera and rule with alerts in the period. */
    falseAlarms: ReportRuleFalseAlarms[];
  };
  cameras: ReportCamera[];
}

/** What the store reads; congestion is computed by the reports room from zone statistics, as the API does. */
export type StoredReportFigures = Omit<ReportSummary, 'traffic'> & {
  traffic: Omit<ReportSummary['traffic'], 'congestion'>;
};

interface Scope {
  fromMs: number;
  toMs: number;
  district: string | null;
}

const scopeParams = (s: Scope) => [new Date(s.fromMs), new Date(s.toMs), s.district];
const DISTRICT = '($3::text IS NULL OR c.district = $3)';

// Traffic is read from the hourly rollup the writer keeps in step with the minutes (60× fewer rows): a period
// starts at local midnight, a whole UTC hour (UTC+7), so whole hours cover it exactly.
async function trafficRows(pool: Pool, s: Scope) {
  const rows = await pool.query<{
    district: string;
    camera_name: string;
    line_id: string;
    class: string;
    hour: Date;
    n: string;
  }>(
    `SELECT c.district, c.name AS camera_name, t.line_id, t.class, t.hour, sum(t.count) AS n
       FROM traffic_counts_hourly t JOIN cameras c ON c.id = t.camera_id
      WHERE t.hour >= $1 AND t.hour < $2 AND ${DISTRICT}
      GROUP BY 1, 2, 3, 4, 5`,
    scopeParams(s),
  );
  return rows.rows.map((r) => ({
    district: r.district,
    cameraName: r.camera_name,
    lineId: r.line_id,
    className: r.class,
    hourMs: r.hour.getTime(),
    count: Number(r.n),
  }));
}

function countBy<T>(
  items: readonly T[],
  key: (item: T) => string,
  amount: (item: T) => number = () => 1,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + amount(item);
  return out;
}

async function traffic(pool: Pool, s: Scope, previous: Scope): Promise<StoredReportFigures['traffic']> {
  const rows = await trafficRows(pool, s);
  const total = rows.reduce((sum, r) => sum + r.count, 0);
  const prev = await pool.query<{ n: string | null }>(
    `SELECT sum(t.count) AS n FROM traffic_counts_hourly t JOIN cameras c ON c.id = t.camera_id WHERE t.hour >= $1 AND t.hour < $2 AND ${DISTRICT}`,
    scopeParams(previous),
  );
  const previousTotal = Number(prev.rows[0]?.n ?? 0);
  const byClass = countBy(
    rows,
    (r) => r.className,
    (r) => r.count,
  );
  const byHour = new Array<number>(24).fill(0);
  for (const r of rows) byHour[localHour(r.hourMs)]! += r.count;
  const lines = new Map<string, ReportLine>();
  for (const r of rows) {
    const key = `${r.cameraName}\u0000${r.lineId}`;
    const line = lines.get(key) ?? { cameraName: r.cameraName, lineId: r.lineId, total: 0, byClass: {} };
    line.total += r.count;
    line.byClass[r.className] = (line.byClass[r.className] ?? 0) + r.count;
    lines.set(key, line);
  }
  const busiest = Math.max(...byHour);
  return {
    total,
    previousTotal,
    changeRatio: previousTotal > 0 ? (total - previousTotal) / previousTotal : null,
    byClass,
    motorbikeShare: total > 0 ? (byClass.motorbike ?? 0) / total : null,
    lines: [...lines.values()].sort((a, b) => b.total - a.total || a.cameraName.localeCompare(b.cameraName)),
    byDistrict: countBy(
      rows,
      (r) => r.district,
      (r) => r.count,
    ),
    byHour,
    peakHours: busiest > 0 ? byHour.flatMap((n, hour) => (n === busiest ? [hour] : [])) : [],
  };
}

async function security(pool: Pool, s: Scope): Promise<ReportSummary['security']> {
  const rows = await pool.query<{ type: string; severity: string; state: string; district: string }>(
    `SELECT a.type, a.severity, a.state, a.district FROM alerts a WHERE a.started_at >= $1 AND a.started_at < $2 AND ($3::text IS NULL OR a.district = $3)`,
    scopeParams(s),
  );
  const ack = await pool.query<{ n: string; p50: number | null; p95: number | null }>(
    `WITH acked AS (
       SELECT extract(epoch FROM (min(h.at) - a.raised_at)) AS seconds
         FROM alerts a JOIN alert_history h ON h.alert_id = a.id AND h.action = 'acknowledged'
        WHERE a.started_at >= $1 AND a.started_at < $2 AND ($3::text IS NULL OR a.district = $3)
        GROUP BY a.id, a.raised_at)
     SELECT count(*) AS n, percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS p50,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY seconds) AS p95 FROM acked`,
    scopeParams(s),
  );
  const a = ack.rows[0]!;
  return {
    total: rows.rows.length,
    byType: countBy(rows.rows, (r) => r.type),
    bySeverity: countBy(rows.rows, (r) => r.severity),
    byState: countBy(rows.rows, (r) => r.state),
    byDistrict: countBy(rows.rows, (r) => r.district),
    acknowledged: Number(a.n),
    ackP50S: a.p50 === null ? null : Number(a.p50),
    ackP95S: a.p95 === null ? null : Number(a.p95),
    falseAlarms: await falseAlarms(pool, s),
  };
}

/** The precision the alerts API answers, for the period, as its complement; rule names from the cameras' rules. */
async function falseAlarms(pool: Pool, s: Scope): Promise<ReportRuleFalseAlarms[]> {
  const rules = await rulePrecision(pool, {
    districts: s.district === null ? null : [s.district],
    fromMs: s.fromMs,
    toMs: s.toMs,
  });
  if (rules.length === 0) return [];
  const names = await pool.query<{ camera_id: string; rule_id: string; name: string }>(
    `SELECT r.camera_id, x->>'id' AS rule_id, x->>'name' AS name
       FROM alert_rules r CROSS JOIN LATERAL jsonb_array_elements(coalesce(r.rules->'rules', '[]'::jsonb)) x
      WHERE r.camera_id = ANY($1::uuid[]) AND coalesce(x->>'name', '') <> ''`,
    [[...new Set(rules.map((r) => r.cameraId))]],
  );
  const nameOf = new Map(names.rows.map((r) => [`${r.camera_id}\u0000${r.rule_id}`, r.name]));
  return rules
    .map((r) => ({
      cameraName: r.cameraName,
      ruleId: r.ruleId,
      ruleName: nameOf.get(`${r.cameraId}\u0000${r.ruleId}`) ?? null,
      type: r.type,
      confirmed: r.confirmed,
      dismissed: r.dismissed,
      unjudged: r.unjudged,
      falseAlarmShare: r.confirmed + r.dismissed > 0 ? r.dismissed / (r.confirmed + r.dismissed) : null,
    }))
    .sort(
      (a, b) =>
        (b.falseAlarmShare ?? -1) - (a.falseAlarmShare ?? -1) ||
        a.cameraName.localeCompare(b.cameraName, 'vi') ||
        a.ruleId.localeCompare(b.ruleId),
    );
}

async function cameras(pool: Pool, s: Scope): Promise<ReportCamera[]> {
  const periodMs = s.toMs - s.fromMs;
  // Offline time is the overlap of each cameraOffline alert with the period (an open one runs to its end);
  // the FILTER matters: greatest() ignores NULL, so a camera without alerts would otherwise count the whole period.
  const rows = await pool.query<{ name: string; offline_s: number | null }>(
    `SELECT c.name, sum(extract(epoch FROM (least(coalesce(a.ended_at, $2), $2) - greatest(a.started_at, $1)))) FILTER (WHERE a.id IS NOT NULL) AS offline_s
       FROM cameras c
       LEFT JOIN alerts a ON a.camera_id = c.id AND a.type = 'cameraOffline' AND a.started_at < $2 AND coalesce(a.ended_at, $2) > $1
      WHERE ${DISTRICT}
      GROUP BY c.id, c.name ORDER BY c.name`,
    scopeParams(s),
  );
  return rows.rows.map((r) => {
    const offlineMs = Math.max(0, Number(r.offline_s ?? 0) * 1000);
    return {
      cameraName: r.name,
      offlineMinutes: Math.round(offlineMs / 60_000),
      uptime: Math.max(0, 1 - offlineMs / periodMs),
    };
  });
}

export async function readReportSummary(
  pool: Pool,
  period: ReportPeriod,
  previous: ReportPeriod,
  district: string | null,
): Promise<StoredReportFigures> {
  const scope = { fromMs: period.fromMs, toMs: period.toMs, district };
  return {
    period: { kind: period.kind, from: new Date(period.fromMs).toISOString(), to: new Date(period.toMs).toISOString() },
    district,
    traffic: await traffic(pool, scope, { ...scope, fromMs: previous.fromMs, toMs: previous.toMs }),
    security: await security(pool, scope),
    cameras: await cameras(pool, scope),
  };
}
