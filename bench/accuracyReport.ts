// The accuracy harness's printed report: per clip, counts against the hand count per line × direction ×
// class, the per-class totals, detection recall/precision on hand-boxed frames, and people in zones.
import type { AccuracyResult } from '../harness/accuracyRun.ts';

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(0)} %` : '∞');
const range = (min: number, max: number) => (min === max ? '' : ` (${min}–${max})`);

export function renderAccuracy(results: readonly AccuracyResult[]): string {
  const out: string[] = [];
  for (const r of results) {
    const s = r.settings;
    out.push(
      `\n${r.clip} — ${r.frames} frames at ${s.sampleFps} fps, ${s.frameWidthPx} px wide${s.subStreamWidthPx ? ` from a ${s.subStreamWidthPx}-px sub stream${s.subStreamFps ? ` at ${s.subStreamFps} fps` : ''}` : ''}, ${r.inferenceMsPerFrame.toFixed(1)} ms inference and ${r.cpuMsPerFrame.toFixed(1)} CPU ms a frame${s.config && Object.keys(s.config).length ? `, ${JSON.stringify(s.config)}` : ''}`,
    );
    if (r.gating && r.gating.crops + r.gating.none > 0) {
      const { whole, crops, none } = r.gating;
      out.push(
        `  motion gating: model on the whole frame ${whole}, on motion crops ${crops}, not run ${none} (nothing moved)`,
      );
    }
    out.push(
      table(
        ['line', 'direction', 'class', 'truth', 'counted', 'error', ''],
        r.counts
          .filter((c) => c.truth > 0 || c.counted > 0 || c.max > 0)
          .map((c) => [
            c.lineId,
            c.direction,
            c.className,
            `${c.truth}${range(c.min, c.max)}`,
            String(c.counted),
            signed(c.error),
            c.inRange ? 'in range' : 'OUT',
          ]),
      ),
    );
    out.push('per class, all lines and directions:');
    out.push(
      table(
        ['class', 'truth', 'counted', 'error', 'rel. error', ''],
        r.byClass
          .filter((c) => c.truth > 0 || c.counted > 0)
          .map((c) => [
            c.className,
            `${c.truth}${range(c.min, c.max)}`,
            String(c.counted),
            signed(c.error),
            pct(c.relError),
            c.inRange ? 'in range' : 'OUT',
          ]),
      ),
    );
    if (r.detection.length > 0) {
      out.push('detection on hand-boxed frames:');
      out.push(
        table(
          ['class', 'truth boxes', 'detections', 'matched', 'recall', 'precision'],
          r.detection.map((d) => [
            d.className,
            String(d.truthBoxes),
            String(d.detections),
            String(d.matched),
            d.recall === null ? '—' : pct(d.recall),
            d.precision === null ? '—' : pct(d.precision),
          ]),
        ),
      );
    }
    if (r.zones.length > 0) {
      out.push('objects detected in zones (ground point inside):');
      out.push(
        table(
          ['zone', 't (s)', 'class', 'truth', 'detected', ''],
          r.zones.map((z) => [
            z.zoneId,
            z.timeS.toFixed(1),
            z.className,
            `${z.truth}${range(z.min, z.max)}`,
            String(z.detected),
            z.inRange ? 'in range' : 'OUT',
          ]),
        ),
      );
    }
    const misses = r.crossings.filter((m) => !m.counted || !m.truth || m.truth.className !== m.counted.className);
    if (misses.length > 0) {
      out.push('crossings not matched one to one (hand count vs counted: same class within 2 s, another within 1 s):');
      for (const m of misses) {
        if (m.truth && m.counted)
          out.push(
            `  ${m.truth.timeS.toFixed(1)} s ${m.truth.direction}: ${m.truth.className} counted as ${m.counted.className} (track ${m.counted.trackId})${m.truth.note ? ` — ${m.truth.note}` : ''}`,
          );
        else if (m.truth)
          out.push(
            `  ${m.truth.timeS.toFixed(1)} s ${m.truth.direction}: ${m.truth.className} MISSED${m.truth.sure === false ? ' (edge case)' : ''}${m.truth.note ? ` — ${m.truth.note}` : ''}`,
          );
        else
          out.push(
            `  ${m.counted!.timeS.toFixed(1)} s ${m.counted!.direction}: ${m.counted!.className} counted, no hand-counted crossing (track ${m.counted!.trackId})`,
          );
      }
    }
    if (r.alerts.length > 0)
      out.push(`alerts: ${r.alerts.map((a) => `${a.type} ${a.subject} at ${a.startedAtS.toFixed(1)} s`).join('; ')}`);
  }
  return out.join('\n');
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i]!)).join('  ')}`.trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
