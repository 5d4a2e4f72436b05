// Report periods in Vietnam's local time (Asia/Ho_Chi_Minh is UTC+7 all year, no daylight saving): a day
// from local midnight, an ISO week from Monday, a month from the 1st; stored and answered as UTC instants.
export const REPORT_KINDS = ['daily', 'weekly', 'monthly'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export interface ReportPeriod {
  kind: ReportKind;
  fromMs: number;
  toMs: number;
}

/** Asia/Ho_Chi_Minh's offset; checked against Intl in the unit test so a change of law would show. */
export const VIETNAM_OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;

/** The period of `kind` that contains the instant. */
export function periodContaining(kind: ReportKind, atMs: number): ReportPeriod {
  const local = new Date(atMs + VIETNAM_OFFSET_MS);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth();
  const dayStartLocal = Date.UTC(y, m, local.getUTCDate());
  if (kind === 'daily')
    return { kind, fromMs: dayStartLocal - VIETNAM_OFFSET_MS, toMs: dayStartLocal + DAY_MS - VIETNAM_OFFSET_MS };
  if (kind === 'weekly') {
    const sinceMonday = (local.getUTCDay() + 6) % 7;
    const from = dayStartLocal - sinceMonday * DAY_MS;
    return { kind, fromMs: from - VIETNAM_OFFSET_MS, toMs: from + 7 * DAY_MS - VIETNAM_OFFSET_MS };
  }
  return { kind, fromMs: Date.UTC(y, m, 1) - VIETNAM_OFFSET_MS, toMs: Date.UTC(y, m + 1, 1) - VIETNAM_OFFSET_MS };
}

/** The period just before (the comparison of "change against the previous period"). */
export function previousPeriod(period: ReportPeriod): ReportPeriod {
  return periodContaining(period.kind, period.fromMs - 1);
}

/** A period's report is due at dueHourLocal (07:00 by default) on the first local day after it ends. */
export function dueAtMs(period: ReportPeriod, dueHourLocal: number): number {
  return period.toMs + dueHourLocal * 3_600_000;
}

/** The newest period whose report is due by nowMs. */
export function latestDuePeriod(kind: ReportKind, nowMs: number, dueHourLocal: number): ReportPeriod {
  let period = previousPeriod(periodContaining(kind, nowMs));
  while (dueAtMs(period, dueHourLocal) > nowMs) period = previousPeriod(period);
  return period;
}

/** Local calendar date (YYYY-MM-DD) of an instant, as the report shows it. */
export function localDate(atMs: number): string {
  return new Date(atMs + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);
}

/** Local hour of day 0–23 of an instant. */
export function localHour(atMs: number): number {
  return new Date(atMs + VIETNAM_OFFSET_MS).getUTCHours();
}
