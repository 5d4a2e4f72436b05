// The sweep chart as a plain SVG file: p95 latencies (capture → result, capture → analysed) and the
// drop rate against the swept knob, with the latency target and the knee marked. No chart library:
// those on npm that render on Node need a canvas, and this is a few lines.

export interface SweepPoint {
  value: number;
  p95CaptureToInferredMs: number;
  p95CaptureToAnalysedMs: number;
  dropPct: number;
  analysedFps: number;
}

const W = 720;
const H = 420;
const M = { left: 70, right: 70, top: 50, bottom: 60 };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function sweepChartSvg(
  title: string,
  knob: string,
  points: readonly SweepPoint[],
  targetMs: number,
  maxDropPct: number,
  knee: number,
): string {
  const xs = points.map((p) => p.value);
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs, xMin + 1);
  const msMax =
    Math.max(targetMs * 1.2, ...points.flatMap((p) => [p.p95CaptureToInferredMs, p.p95CaptureToAnalysedMs])) * 1.05;
  const dropMax = Math.max(maxDropPct * 2, ...points.map((p) => p.dropPct)) * 1.05;
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const x = (v: number) => M.left + ((v - xMin) / (xMax - xMin)) * plotW;
  const yMs = (v: number) => M.top + plotH - (v / msMax) * plotH;
  const yDrop = (v: number) => M.top + plotH - (v / dropMax) * plotH;
  const line = (pts: Array<[number, number]>, colour: string, dash = '') =>
    `<polyline fill="none" stroke="${colour}" stroke-width="2.5"${dash ? ` stroke-dasharray="${dash}"` : ''} points="${pts.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(' ')}"/>` +
    pts.map(([a, b]) => `<circle cx="${a.toFixed(1)}" cy="${b.toFixed(1)}" r="4" fill="${colour}"/>`).join('');
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`,
    `<line x1="${M.left}" y1="${M.top + plotH}" x2="${M.left + plotW}" y2="${M.top + plotH}" stroke="#333"/>`,
    `<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${M.top + plotH}" stroke="#333"/>`,
    `<line x1="${M.left + plotW}" y1="${M.top}" x2="${M.left + plotW}" y2="${M.top + plotH}" stroke="#333"/>`,
  ];
  for (const v of xs) {
    parts.push(`<line x1="${x(v)}" y1="${M.top + plotH}" x2="${x(v)}" y2="${M.top + plotH + 5}" stroke="#333"/>`);
    parts.push(`<text x="${x(v)}" y="${M.top + plotH + 20}" text-anchor="middle">${v}</text>`);
  }
  for (let i = 0; i <= 4; i++) {
    const ms = (msMax * i) / 4;
    const drop = (dropMax * i) / 4;
    parts.push(`<text x="${M.left - 8}" y="${yMs(ms) + 4}" text-anchor="end">${Math.round(ms)}</text>`);
    parts.push(`<text x="${M.left + plotW + 8}" y="${yDrop(drop) + 4}">${drop.toFixed(1)}</text>`);
    parts.push(`<line x1="${M.left}" y1="${yMs(ms)}" x2="${M.left + plotW}" y2="${yMs(ms)}" stroke="#eee"/>`);
  }
  parts.push(`<text x="${M.left + plotW / 2}" y="${H - 15}" text-anchor="middle">${esc(knob)}</text>`);
  parts.push(
    `<text transform="translate(18 ${M.top + plotH / 2}) rotate(-90)" text-anchor="middle">p95 latency (ms)</text>`,
  );
  parts.push(
    `<text transform="translate(${W - 14} ${M.top + plotH / 2}) rotate(90)" text-anchor="middle">dropped frames (%)</text>`,
  );
  parts.push(
    `<line x1="${M.left}" y1="${yMs(targetMs)}" x2="${M.left + plotW}" y2="${yMs(targetMs)}" stroke="#c00" stroke-dasharray="6 4"/>`,
  );
  parts.push(`<text x="${M.left + 6}" y="${yMs(targetMs) - 6}" fill="#c00">target p95 ${targetMs} ms</text>`);
  if (knee > 0) {
    parts.push(
      `<line x1="${x(knee)}" y1="${M.top}" x2="${x(knee)}" y2="${M.top + plotH}" stroke="#2a2" stroke-dasharray="3 3"/>`,
    );
    parts.push(`<text x="${x(knee) + 5}" y="${M.top + 14}" fill="#2a2">knee: ${knee}</text>`);
  }
  parts.push(
    line(
      points.map((p) => [x(p.value), yMs(p.p95CaptureToInferredMs)]),
      '#1f77b4',
    ),
  );
  parts.push(
    line(
      points.map((p) => [x(p.value), yMs(p.p95CaptureToAnalysedMs)]),
      '#9467bd',
      '8 4',
    ),
  );
  parts.push(
    line(
      points.map((p) => [x(p.value), yDrop(p.dropPct)]),
      '#ff7f0e',
      '2 3',
    ),
  );
  const legend: Array<[string, string]> = [
    ['#1f77b4', 'p95 capture → result'],
    ['#9467bd', 'p95 capture → analysed'],
    ['#ff7f0e', `dropped % (limit ${maxDropPct} %)`],
  ];
  legend.forEach(([colour, label], i) => {
    parts.push(`<rect x="${M.left + 10 + i * 200}" y="${M.top - 18}" width="12" height="12" fill="${colour}"/>`);
    parts.push(`<text x="${M.left + 27 + i * 200}" y="${M.top - 8}">${esc(label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
