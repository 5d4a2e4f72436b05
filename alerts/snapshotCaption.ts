// The caption under an alert's snapshot: the alert's facts as a sentence in the reader's language, drawn on
// a dark band at the bottom when the snapshot is served (the stored picture has no words to translate).
import sharp from 'sharp';
import { FrameRejectedError } from '../core/errors.ts';
import { escapeSvgText } from './snapshotRenderer.ts';

const FONT_FRACTION = 1 / 28;

/** The snapshot JPEG with `text` on a band along its bottom edge, as a JPEG of the same size. */
export async function captionSnapshot(jpeg: Buffer, text: string): Promise<Buffer> {
  const image = sharp(jpeg, { failOn: 'truncated' });
  const { width, height } = await image.metadata();
  if (!width || !height) throw new FrameRejectedError('snapshot has no size', { reason: 'corrupt' });
  const fontPx = Math.max(12, Math.round(Math.min(width, height) * FONT_FRACTION));
  const bandPx = Math.round(fontPx * 1.7);
  // A long sentence is cut rather than run off the picture (about 0.55 em per character in DejaVu Sans).
  const maxChars = Math.max(8, Math.floor((width - fontPx) / (fontPx * 0.55)));
  const shown = text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<rect x="0" y="${height - bandPx}" width="${width}" height="${bandPx}" fill="#000000" fill-opacity="0.72"/>` +
    `<text x="${Math.round(fontPx * 0.5)}" y="${height - Math.round(bandPx * 0.3)}" font-family="DejaVu Sans, sans-serif" font-size="${fontPx}" fill="#ffffff">${escapeSvgText(shown)}</text>` +
    '</svg>';
  return image
    .composite([{ input: Buffer.from(svg), top: 0, left: 0 }])
    .jpeg({ quality: 85 })
    .toBuffer();
}
