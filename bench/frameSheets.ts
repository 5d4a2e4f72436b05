// `npm run sheets -- --clip video/vn_traffic.mp4 [--truth harness/truth/vn_traffic.json] [--fps 6]
//   [--crop x,y,w,h] [--width 1280] [--grid 100] [--from s] [--to s] [--line x1,y1,x2,y2] --out DIR`
// Writes frame sheets for a hand count: the clip at --fps with the truth file's lines and zones drawn on.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../core/config.ts';
import { writeFrameSheets, type SheetLine } from '../harness/frameSheets.ts';

const { values } = parseArgs({
  options: {
    clip: { type: 'string' },
    truth: { type: 'string' },
    out: { type: 'string' },
    fps: { type: 'string', default: '6' },
    crop: { type: 'string' },
    width: { type: 'string' },
    grid: { type: 'string', default: '100' },
    from: { type: 'string' },
    to: { type: 'string' },
    line: { type: 'string', multiple: true },
  },
});

const numbers = (text: string, name: string, count: number): number[] => {
  const parts = text.split(',').map(Number);
  if (parts.length !== count || parts.some((n) => !Number.isFinite(n)))
    throw new Error(`--${name} needs ${count} numbers separated by commas`);
  return parts;
};

if (!values.clip || !values.out) {
  process.stderr.write(
    'usage: npm run sheets -- --clip <file under IOC_ASSETS> --out <dir> [--truth f.json] [--fps 6] [--crop x,y,w,h] [--width px] [--grid px] [--from s] [--to s] [--line x1,y1,x2,y2]\n',
  );
  process.exit(2);
}
const config = loadConfig();
const truth = values.truth
  ? (JSON.parse(readFileSync(values.truth, 'utf8')) as {
      lines?: SheetLine[];
      zones?: Array<{ id: string; polygon: SheetLine['points'] }>;
    })
  : {};
const lines: SheetLine[] = [...(truth.lines ?? [])];
for (const [i, text] of (values.line ?? []).entries()) {
  const [x1, y1, x2, y2] = numbers(text, 'line', 4) as [number, number, number, number];
  lines.push({
    id: `line${i + 1}`,
    points: [
      { x: x1, y: y1 },
      { x: x2, y: y2 },
    ],
  });
}
const crop = values.crop ? numbers(values.crop, 'crop', 4) : null;
const files = await writeFrameSheets({
  clipPath: resolve(config.assetsDir, values.clip),
  outDir: values.out,
  fps: Number(values.fps),
  lines,
  zones: truth.zones ?? [],
  gridPx: Number(values.grid),
  crop: crop ? { x: crop[0]!, y: crop[1]!, widthPx: crop[2]!, heightPx: crop[3]! } : undefined,
  outWidthPx: values.width ? Number(values.width) : undefined,
  fromS: values.from !== undefined ? Number(values.from) : undefined,
  toS: values.to !== undefined ? Number(values.to) : undefined,
});
process.stdout.write(`${files.length} sheets in ${values.out}\n`);
