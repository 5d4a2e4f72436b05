// Frame sheets for counting by hand: a clip's frames at a fixed rate, each with the counting lines (and
// their direction names), the zones, a pixel grid and the clip time drawn on, so a person can count crossings.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { PointPx } from '../core/geometry.ts';
import { decodeClipFrames } from './clipFrames.ts';

export interface SheetLine {
  id: string;
  points: PointPx[];
  directions?: { leftToRight: string; rightToLeft: string };
}

export interface SheetOptions {
  clipPath: string;
  outDir: string;
  fps: number;
  lines: SheetLine[];
  zones: Array<{ id: string; polygon: PointPx[] }>;
  /** Grid spacing in source px (0: none). */
  gridPx: number;
  /** Part of the frame to keep, source px (the whole frame when absent). */
  crop?: { x: number; y: number; widthPx: number; heightPx: number };
  /** Width of the written sheet, px (the crop's own width when absent). */
  outWidthPx?: number;
  fromS?: number;
  toS?: number;
}

/** Writes one JPEG per sampled frame, named by its clip time (t03.50.jpg); returns the file paths. */
export async function writeFrameSheets(options: SheetOptions): Promise<string[]> {
  const frames = await decodeClipFrames(options.clipPath, { sampleFps: options.fps });
  await mkdir(options.outDir, { recursive: true });
  const written: string[] = [];
  for (const [index, jpeg] of frames.entries()) {
    const timeS = index / options.fps;
    if (options.fromS !== undefined && timeS < options.fromS) continue;
    if (options.toS !== undefined && timeS > options.toS) continue;
    const meta = await sharp(jpeg).metadata();
    const width = meta.width!;
    const height = meta.height!;
    const overlay = Buffer.from(overlaySvg(width, height, timeS, options));
    let image = sharp(jpeg).composite([{ input: overlay, top: 0, left: 0 }]);
    let buffer = await image.jpeg({ quality: 88 }).toBuffer();
    if (options.crop) {
      const c = options.crop;
      buffer = await sharp(buffer)
        .extract({
          left: c.x,
          top: c.y,
          width: Math.min(c.widthPx, width - c.x),
          height: Math.min(c.heightPx, height - c.y),
        })
        .toBuffer();
    }
    if (options.outWidthPx)
      buffer = await sharp(buffer).resize({ width: options.outWidthPx }).jpeg({ quality: 88 }).toBuffer();
    image = sharp(buffer);
    const file = join(options.outDir, `t${timeS.toFixed(2).padStart(5, '0')}.jpg`);
    await writeFile(file, await image.jpeg({ quality: 88 }).toBuffer());
    written.push(file);
  }
  return written;
}

function overlaySvg(width: number, height: number, timeS: number, options: SheetOptions): string {
  const parts: string[] = [];
  if (options.gridPx > 0) {
    for (let x = options.gridPx; x < width; x += options.gridPx) {
      parts.push(
        `<line x1="${x}" y1="0" x2="${x}" y2="${height}" stroke="#00ffff" stroke-opacity="0.35" stroke-width="1"/>`,
      );
      parts.push(
        `<text x="${x + 2}" y="${(options.crop?.y ?? 0) + 14}" font-size="13" fill="#00ffff" font-family="sans-serif">${x}</text>`,
      );
    }
    for (let y = options.gridPx; y < height; y += options.gridPx) {
      parts.push(
        `<line x1="0" y1="${y}" x2="${width}" y2="${y}" stroke="#00ffff" stroke-opacity="0.35" stroke-width="1"/>`,
      );
      parts.push(
        `<text x="${(options.crop?.x ?? 0) + 2}" y="${y - 2}" font-size="13" fill="#00ffff" font-family="sans-serif">${y}</text>`,
      );
    }
  }
  for (const zone of options.zones) {
    const pts = zone.polygon.map((p) => `${p.x},${p.y}`).join(' ');
    parts.push(`<polygon points="${pts}" fill="none" stroke="#ffcc00" stroke-width="2" stroke-dasharray="8 6"/>`);
  }
  for (const line of options.lines) {
    const pts = line.points.map((p) => `${p.x},${p.y}`).join(' ');
    parts.push(`<polyline points="${pts}" fill="none" stroke="#ff2020" stroke-width="2"/>`);
    const a = line.points[0]!;
    const b = line.points[line.points.length - 1]!;
    // Left of the walk from the first point to the last, with image y down, is the (dy, -dx) side.
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const length = Math.hypot(dx, dy) || 1;
    const nx = dy / length;
    const ny = -dx / length;
    const mx = (a.x + b.x) / 2;
    const my = (a.y + b.y) / 2;
    const label = (text: string, sign: number) =>
      `<text x="${mx + sign * nx * 28}" y="${my + sign * ny * 28}" font-size="18" fill="#ff4040" font-family="sans-serif" text-anchor="middle">${text}</text>`;
    const left = line.directions ? `${line.id}: left → ${line.directions.leftToRight}` : `${line.id}: left`;
    parts.push(label(left, 1), label('right', -1));
  }
  const tx = (options.crop?.x ?? 0) + 10;
  const ty = (options.crop?.y ?? 0) + 40;
  parts.push(`<rect x="${tx - 6}" y="${ty - 26}" width="120" height="34" fill="#000" fill-opacity="0.6"/>`);
  parts.push(
    `<text x="${tx}" y="${ty}" font-size="26" fill="#ffffff" font-family="monospace">t=${timeS.toFixed(2)}</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${parts.join('')}</svg>`;
}
