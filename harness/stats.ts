// Summaries of measured samples for the bench report and the resilience tests: percentiles of latencies (nearest rank) and
// rates over a window. NaN never leaves here: an empty sample summarises to zeros with count 0.

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Nearest-rank percentile of sorted values; `p` in [0, 1]. */
export function percentileOfSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[rank]!;
}

export function summariseLatencies(valuesMs: readonly number[]): LatencySummary {
  const sorted = valuesMs.filter(Number.isFinite).sort((a, b) => a - b);
  const round = (v: number) => Math.round(v);
  return {
    count: sorted.length,
    p50Ms: round(percentileOfSorted(sorted, 0.5)),
    p95Ms: round(percentileOfSorted(sorted, 0.95)),
    p99Ms: round(percentileOfSorted(sorted, 0.99)),
    maxMs: round(sorted[sorted.length - 1] ?? 0),
  };
}

/** Rounds to `digits` decimals; a non-finite value (0/0 of an idle stage) becomes 0. */
export function rounded(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return 0;
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export function perSecond(count: number, windowMs: number): number {
  return windowMs > 0 ? rounded((count * 1000) / windowMs) : 0;
}
