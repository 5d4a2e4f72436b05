// A clip's sub stream, as an IP camera serves one beside its main stream: the same scene at a lower
// resolution and, where the camera is set so, a lower frame rate (H.264, no B-frames, a 1 s GOP, no audio).
// Made once by ffmpeg and kept in a cache folder, named by the clip's content, width and rate, so the test RTSP
// server, the demo and the bench share it.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SubStreamOptions {
  /** Width of the sub stream; the height keeps the clip's aspect (even, as H.264 needs). */
  widthPx: number;
  /**
   * Frames a second of the sub stream, as the camera's sub stream is set (Frigate's advice: the detect stream at
   * the detect rate, so ingest decodes no frame it throws away). Absent: the clip's own rate.
   */
  fps?: number;
  /** Where made sub streams are kept. Default: <tmpdir>/ioc-sub-streams. */
  cacheDir?: string;
  ffmpegPath?: string;
}

/** Path of the clip's sub stream at `widthPx`, made on first use. */
export async function subStreamClip(clipPath: string, options: SubStreamOptions): Promise<string> {
  const { widthPx, fps } = options;
  if (!Number.isInteger(widthPx) || widthPx < 160 || widthPx % 2 !== 0) {
    throw new RangeError(`sub stream width ${widthPx}: an even whole number of pixels ≥ 160`);
  }
  if (fps !== undefined && !(Number.isInteger(fps) && fps >= 1 && fps <= 60)) {
    throw new RangeError(`sub stream fps ${fps}: a whole number of frames a second from 1 to 60`);
  }
  const cacheDir = options.cacheDir ?? join(tmpdir(), 'ioc-sub-streams');
  const digest = createHash('sha256')
    .update(await readFile(clipPath))
    .digest('hex')
    .slice(0, 16);
  const rate = fps === undefined ? '' : `-${fps}fps`;
  const target = join(cacheDir, `${basename(clipPath, extname(clipPath))}-${widthPx}w${rate}-${digest}.mp4`);
  if (await exists(target)) return target;
  await mkdir(cacheDir, { recursive: true });
  // Written aside and renamed: a reader never sees half a file, two makers at once both end with a whole one.
  const partial = `${target}.${process.pid}.partial.mp4`;
  // Without a set rate the clip's is not known here; 25 frames is a second at the usual camera rates.
  const filter = fps === undefined ? `scale=${widthPx}:-2` : `fps=${fps},scale=${widthPx}:-2`;
  await run(options.ffmpegPath ?? 'ffmpeg', [
    ...['-v', 'error', '-y', '-i', clipPath, '-an'],
    ...['-vf', filter, '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20'],
    ...['-g', String(fps ?? 25), '-bf', '0', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', partial],
  ]);
  await rename(partial, target);
  return target;
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).size > 0;
  } catch {
    return false;
  }
}
