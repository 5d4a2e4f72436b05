// An alert's evidence snapshot: the triggering frame with its boxes (and labels) and the rule's zone or line
// drawn on it, as one SVG overlay composited by sharp, so a duty officer sees at once what raised it.
import sharp from 'sharp';
import type { AlertEvidence, EvidenceBox } from '../core/alerts.ts';
import { FrameRejectedError, ValidationError } from '../core/errors.ts';
import type { PointPx } from '../core/geometry.ts';

/** What the rule watched, in px of the analysed frame (like the evidence boxes). */
export interface SnapshotGeometry {
  zone?: PointPx[] | null;
  line?: PointPx[] | null;
}

/** Colours as sRGB triplets, exported so a test can look for them in the pixels. */
export const BOX_COLOUR = { r: 255, g: 40, b: 40 } as const;
export const ZONE_COLOUR = { r: 255, g: 200, b: 0 } as const;
export const LINE_COLOUR = { r: 0, g: 200, b: 255 } as const;

const JPEG_QUALITY = 85;
/** Stroke and text sizes are fractions of the snapshot's shorter side, so they read the same at any resolution. */
const STROKE_FRACTION = 1 / 150;
const FONT_FRACTION = 1 / 30;

/** The JPEG with the evidence drawn on it, as a JPEG of the same size. */
export async function renderSnapshot(
  jpeg: Buffer,
  evidence: AlertEvidence,
  geometry: SnapshotGeometry,
): Promise<Buffer> {
  if (!(evidence.frameWidthPx > 0) || !(evidence.frameHeightPx > 0)) {
    throw new ValidationError(`evidence frame size ${evidence.frameWidthPx}x${evidence.frameHeightPx} is not a size`, {
      field: 'evidence',
    });
  }
  const image = sharp(jpeg, { failOn: 'truncated' });
  const { width, height } = await image.metadata().catch((err: unknown) => {
    throw new FrameRejectedError(`snapshot frame does not decode: ${firstLine(err)}`, { reason: 'corrupt' });
  });
  if (!width || !height) throw new FrameRejectedError('snapshot frame has no size', { reason: 'corrupt' });
  // The JPEG kept may not be the analysed size (a main-stream still, a replayed frame): scale to it.
  const scale = { x: width / evidence.frameWidthPx, y: height / evidence.frameHeightPx };
  const overlay = overlaySvg(width, height, scale, evidence.boxes, geometry);
  try {
    return await image
      .composite([{ input: Buffer.from(overlay), top: 0, left: 0 }])
      .jpeg({ quality: JPEG_QUALITY })
      .toBuffer();
  } catch (err) {
    throw new FrameRejectedError(`snapshot could not be drawn: ${firstLine(err)}`, { reason: 'corrupt' });
  }
}

interface Scale {
  x: number;
  y: number;
}

/** The SVG drawn over the frame: zone under line under boxes, so boxes stay readable. */
export function overlaySvg(
  widthPx: number,
  heightPx: number,
  scale: Scale,
  boxes: EvidenceBox[],
  geometry: SnapshotGeometry,
): string {
  const strokePx = Math.max(2, Math.round(Math.min(widthPx, heightPx) * STROKE_FRACTION));
  const fontPx = Math.max(10, Math.round(Math.min(widthPx, heightPx) * FONT_FRACTION));
  const parts: string[] = [];
  if (geometry.zone && geometry.zone.length >= 3) {
    parts.push(
      `<polygon points="${pointList(geometry.zone, scale)}" fill="${rgb(ZONE_COLOUR)}" fill-opacity="0.18" ` +
        `stroke="${rgb(ZONE_COLOUR)}" stroke-width="${strokePx}" stroke-linejoin="round"/>`,
    );
  }
  if (geometry.line && geometry.line.length >= 2) {
    parts.push(
      `<polyline points="${pointList(geometry.line, scale)}" fill="none" stroke="${rgb(LINE_COLOUR)}" ` +
        `stroke-width="${strokePx + 1}" stroke-linecap="round" stroke-linejoin="round"/>`,
    );
  }
  for (const box of boxes) parts.push(boxSvg(box, scale, strokePx, fontPx, widthPx));
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${widthPx}" height="${heightPx}" viewBox="0 0 ${widthPx} ${heightPx}">` +
    parts.join('') +
    '</svg>'
  );
}

function boxSvg(
  evidenceBox: EvidenceBox,
  scale: Scale,
  strokePx: number,
  fontPx: number,
  imageWidthPx: number,
): string {
  const [x1, y1, x2, y2] = evidenceBox.box;
  const left = Math.min(x1, x2) * scale.x;
  const top = Math.min(y1, y2) * scale.y;
  const width = Math.abs(x2 - x1) * scale.x;
  const height = Math.abs(y2 - y1) * scale.y;
  const rect =
    `<rect x="${fmt(left)}" y="${fmt(top)}" width="${fmt(width)}" height="${fmt(height)}" fill="none" ` +
    `stroke="${rgb(BOX_COLOUR)}" stroke-width="${strokePx}"/>`;
  // A tracked box is labelled by its id only: the picture is stored once and read in any language, and the
  // caption (snapshotCaption.ts, added when it is served) names the vehicle in the reader's.
  const label = evidenceBox.trackId === null ? evidenceBox.label : `#${evidenceBox.trackId}`;
  if (label.trim() === '') return rect;
  // The label sits on a filled tab above the box, or inside it when the box touches the top edge.
  const tabHeight = Math.round(fontPx * 1.35);
  const tabWidth = Math.min(imageWidthPx, Math.round(label.length * fontPx * 0.62 + fontPx * 0.6));
  const tabTop = top - tabHeight >= 0 ? top - tabHeight : top;
  const tabLeft = Math.max(0, Math.min(left - strokePx / 2, imageWidthPx - tabWidth));
  return (
    rect +
    `<rect x="${fmt(tabLeft)}" y="${fmt(tabTop)}" width="${tabWidth}" height="${tabHeight}" fill="${rgb(BOX_COLOUR)}"/>` +
    `<text x="${fmt(tabLeft + fontPx * 0.3)}" y="${fmt(tabTop + tabHeight * 0.78)}" font-family="DejaVu Sans, sans-serif" ` +
    `font-size="${fontPx}" fill="#ffffff">${escapeSvgText(label)}</text>`
  );
}

/**
 * Text safe inside an SVG element: XML's five special characters as entities, and characters XML 1.0
 * forbids (control characters, lone surrogates) dropped, since one of them makes librsvg reject the overlay.
 */
export function escapeSvgText(text: string): string {
  return text
    .replace(
      /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      '',
    )
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function pointList(points: PointPx[], scale: Scale): string {
  return points.map((p) => `${fmt(p.x * scale.x)},${fmt(p.y * scale.y)}`).join(' ');
}

function rgb(colour: { r: number; g: number; b: number }): string {
  return `rgb(${colour.r},${colour.g},${colour.b})`;
}

/** Coordinates as SVG reads them: finite, at most two decimals (a NaN would void the whole overlay). */
function fmt(value: number): string {
  return Number.isFinite(value) ? String(Math.round(value * 100) / 100) : '0';
}

function firstLine(err: unknown): string {
  return String((err as Error).message ?? err)
    .split('\n')[0]!
    .trim();
}
