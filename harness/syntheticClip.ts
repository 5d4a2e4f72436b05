// A clip whose truth is known by construction: real object pictures (cut from a real photo) moving on
// straight paths over a plain road, encoded to H.264 by ffmpeg. Each path's crossing of the counting line is
// computed from the geometry alone, so the accuracy harness can be checked against an exact count.
import { spawn } from 'node:child_process';
import sharp from 'sharp';
import type { PointPx } from '../core/geometry.ts';
import type { TrafficClass } from '../core/detections.ts';

export interface MovingObject {
  className: TrafficClass;
  /** Picture of the object (PNG/JPEG), drawn at its own size. */
  picture: Buffer;
  /** Mirror the picture (a car driving the other way). */
  mirrored?: boolean;
  /** Top-left corner at startS and at endS (source px); straight, constant speed in between. */
  from: PointPx;
  to: PointPx;
  startS: number;
  endS: number;
}

export interface SyntheticClipOptions {
  widthPx: number;
  heightPx: number;
  fps: number;
  durationS: number;
  objects: MovingObject[];
  outPath: string;
}

/** Renders and encodes the clip (H.264, yuv420p, one keyframe a second). */
export async function writeSyntheticClip(options: SyntheticClipOptions): Promise<void> {
  const { widthPx, heightPx, fps } = options;
  const pictures = await Promise.all(
    options.objects.map(async (o) => {
      const image = sharp(o.picture);
      return (o.mirrored ? image.flop() : image).png().toBuffer();
    }),
  );
  const ffmpeg = spawn(
    'ffmpeg',
    [
      '-v',
      'error',
      '-y',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      '-s',
      `${widthPx}x${heightPx}`,
      '-r',
      String(fps),
      '-i',
      'pipe:0',
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-crf',
      '18',
      '-g',
      String(fps),
      '-pix_fmt',
      'yuv420p',
      '-movflags',
      '+faststart',
      options.outPath,
    ],
    { stdio: ['pipe', 'ignore', 'pipe'] },
  );
  let stderr = '';
  ffmpeg.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<void>((resolve, reject) => {
    ffmpeg.once('error', reject);
    ffmpeg.once('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}: ${stderr.trim()}`)),
    );
  });
  const frameCount = Math.round(options.durationS * fps);
  for (let i = 0; i < frameCount; i++) {
    const t = i / fps;
    const layers = options.objects.flatMap((o, k) => {
      const at = positionAt(o, t);
      return at ? [{ input: pictures[k]!, left: Math.round(at.x), top: Math.round(at.y) }] : [];
    });
    const frame = await sharp({
      create: { width: widthPx * 3, height: heightPx * 3, channels: 3, background: { r: 96, g: 98, b: 100 } },
    })
      // Objects may stand partly off the frame: draw on a canvas three times as large, then cut the middle.
      .composite(layers.map((l) => ({ ...l, left: l.left + widthPx, top: l.top + heightPx })))
      .raw()
      .toBuffer({ resolveWithObject: true });
    const middle = await sharp(frame.data, { raw: frame.info })
      .extract({ left: widthPx, top: heightPx, width: widthPx, height: heightPx })
      .removeAlpha()
      .raw()
      .toBuffer();
    if (!ffmpeg.stdin.write(middle)) await new Promise((resolve) => ffmpeg.stdin.once('drain', resolve));
  }
  ffmpeg.stdin.end();
  await done;
}

/** Top-left corner of the object at t, or null when it is not on its path then. */
export function positionAt(o: MovingObject, t: number): PointPx | null {
  if (t < o.startS || t > o.endS) return null;
  const f = (t - o.startS) / (o.endS - o.startS);
  return { x: o.from.x + (o.to.x - o.from.x) * f, y: o.from.y + (o.to.y - o.from.y) * f };
}
