// `npx tsx bench/trackSheets.ts --truth harness/truth/us_street_dusk.json --from 5.2 --to 6.8 [--crop x,y,w,h]
//   [--columns 3] --out DIR`
// What the counter saw, to read beside a hand count: the truth file's clip replayed at 5 fps through the real queue,
// worker and analyzer (as `npm run eval` does), its tracks run once more through the product's CameraPipeline and
// drawn on the analysed frames with the truth's lines: each track's id and class initial, dashed where predicted
// (not seen), "?" while tentative, and the crossings counted in that frame. Prints each frame's seen tracks.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { CameraPipeline } from '../analytics/cameraPipeline.ts';
import { pipelineFrameOf } from '../analytics/pipelineFrameOf.ts';
import { loadConfig } from '../core/config.ts';
import { decodeClip, replayWithAlerts } from '../harness/clipReplay.ts';
import { loadTruth, truthAnalysis } from '../harness/truth.ts';

const SAMPLE_FPS = 5;
const FRAME_WIDTH_PX = 960;
const START_MS = Date.parse('2026-01-05T01:00:00Z');
const COLOURS: Record<string, string> = {
  person: '#cccccc',
  bicycle: '#a78bfa',
  motorbike: '#f5a623',
  car: '#3b82f6',
  bus: '#2fbf71',
  truck: '#e5484d',
};

const { values } = parseArgs({
  options: {
    truth: { type: 'string' },
    from: { type: 'string', default: '0' },
    to: { type: 'string', default: '1e9' },
    crop: { type: 'string' },
    columns: { type: 'string', default: '3' },
    out: { type: 'string' },
  },
});
if (!values.truth || !values.out) {
  process.stderr.write(
    'usage: npx tsx bench/trackSheets.ts --truth <file.json> --out <dir> [--from s] [--to s] [--crop x,y,w,h] [--columns 3]\n',
  );
  process.exit(2);
}
const crop = values.crop?.split(',').map(Number);
if (crop && (crop.length !== 4 || crop.some((n) => !Number.isFinite(n) || n < 0))) {
  process.stderr.write('--crop needs x,y,width,height in the analysed frame’s pixels (960 wide)\n');
  process.exit(2);
}

const truth = loadTruth(values.truth);
const clipPath = resolve(loadConfig().assetsDir, truth.clip);
const analysis = truthAnalysis(truth);
const replayed = await replayWithAlerts({
  clipPath,
  analysis,
  sampleFps: SAMPLE_FPS,
  frameWidthPx: FRAME_WIDTH_PX,
  startMs: START_MS,
});
const jpegs = await decodeClip(clipPath, SAMPLE_FPS, FRAME_WIDTH_PX);
const first = replayed.published[0]!;
const [widthPx, heightPx] = [first.frameWidthPx, first.frameHeightPx];
const pipeline = new CameraPipeline('sheets', analysis, { widthPx, heightPx });
const scale = widthPx / truth.frameSizePx.widthPx;
const linesSvg = truth.lines
  .map(
    (line) =>
      `<polyline points="${line.points.map((p) => `${p.x * scale},${p.y * scale}`).join(' ')}" stroke="#ff00ff" stroke-width="2" fill="none"/>`,
  )
  .join('');

// Where the time and the counted crossings are written: the corners of what the sheet shows.
const [left, top, bottom] = crop ? [crop[0]!, crop[1]!, crop[1]! + crop[3]!] : [0, 0, heightPx];
const tiles: Buffer[] = [];
for (const [seq, frame] of replayed.published.entries()) {
  const output = pipeline.process(pipelineFrameOf(frame));
  const timeS = seq / SAMPLE_FPS;
  if (!output || timeS < Number(values.from) || timeS > Number(values.to)) continue;
  let svg = `<svg width="${widthPx}" height="${heightPx}" xmlns="http://www.w3.org/2000/svg">${linesSvg}`;
  for (const track of output.tracks.tracks) {
    const [x1, y1, x2, y2] = track.box;
    const colour = COLOURS[track.className] ?? '#ffffff';
    const seen = track.detectionIndex >= 0;
    svg += `<rect x="${x1}" y="${y1}" width="${x2 - x1}" height="${y2 - y1}" fill="none" stroke="${colour}" stroke-width="${seen ? 2 : 1}"${seen ? '' : ' stroke-dasharray="4 3"'}/>`;
    svg += `<text x="${x1}" y="${y1 - 2}" font-size="10" font-family="DejaVu Sans" fill="${colour}">${track.id}${track.className[0]}${track.state === 'tentative' ? '?' : ''}</text>`;
  }
  output.crossings.forEach((c, i) => {
    svg += `<text x="${left + 10}" y="${bottom - 10 - 18 * i}" font-size="16" font-family="DejaVu Sans" fill="#22ff22">counted ${c.className} #${c.trackId} ${c.direction}</text>`;
  });
  svg += `<text x="${left + 10}" y="${top + 22}" font-size="18" font-family="DejaVu Sans" fill="#ffffff">t = ${timeS.toFixed(1)} s</text></svg>`;
  let tile = await sharp(jpegs[seq]!)
    .resize(widthPx, heightPx)
    .composite([{ input: Buffer.from(svg) }])
    .png()
    .toBuffer();
  if (crop) {
    tile = await sharp(tile)
      .extract({ left: crop[0]!, top: crop[1]!, width: crop[2]!, height: crop[3]! })
      .resize(crop[2]! * 2)
      .png()
      .toBuffer();
  }
  tiles.push(tile);
  const seen = output.tracks.tracks.filter((t) => t.detectionIndex >= 0);
  const counted = output.crossings.map((c) => ` counted #${c.trackId} ${c.className} ${c.direction}`).join('');
  process.stdout.write(
    `${timeS.toFixed(1)} s: ${seen.map((t) => `${t.id}${t.className[0]}[${t.box.map(Math.round).join(',')}]`).join(' ')}${counted}\n`,
  );
}

// Sheets of `columns` × 3 frames, each at half the frame's size (a crop at twice its own).
const columns = Math.max(1, Number(values.columns));
const [tileW, tileH] = crop ? [crop[2]! * 2, crop[3]! * 2] : [widthPx / 2, heightPx / 2];
mkdirSync(values.out, { recursive: true });
for (let start = 0; start < tiles.length; start += columns * 3) {
  const chunk = tiles.slice(start, start + columns * 3);
  const composites = await Promise.all(
    chunk.map(async (tile, i) => ({
      input: await sharp(tile).resize(tileW, tileH).toBuffer(),
      left: (i % columns) * tileW,
      top: Math.floor(i / columns) * tileH,
    })),
  );
  const file = join(values.out, `tracks-${String(start).padStart(3, '0')}.png`);
  await sharp({
    create: {
      width: columns * tileW,
      height: Math.ceil(chunk.length / columns) * tileH,
      channels: 3,
      background: '#000',
    },
  })
    .composite(composites)
    .png()
    .toFile(file);
}
process.stdout.write(`${Math.ceil(tiles.length / (columns * 3))} sheets in ${values.out}\n`);
process.exit(0);
