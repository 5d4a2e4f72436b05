// A clip's sub stream, as an IP camera serves one beside its main stream: the same scene at a lower
// resolution (H.264, no B-frames, a 1 s GOP, no audio). Made once by ffmpeg and kept in a cache folder,
// named by the clip's content and the width, so the test RTSP server, the demo and the bench share it.
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
  /** Where made sub streams are kept. Default: <tmpdir>/ioc-sub-streams. */
  cacheDir?: string;
  ffmpegPath?: string;
}

/** Path of the clip's sub stream at `widthPx`, made on first use. */
export async function subStreamClip(clipPath: string, options: SubStreamOptions): Promise<string> {
  const { widthPx } = options;
  if (!Number.isInteger(widthPx) || widthPx < 160 || widthPx % 2 !== 0) {
    throw new RangeError(`sub stream width ${widthPx}: an even whole number of pixels ≥ 160`);
  }
  const cacheDir = options.cacheDir ?? join(tmpdir(), 'ioc-sub-streams');
  const digest = createHash('sha256')
    .update(await readFile(clipPath))
    .digest('hex')
    .slice(0, 16);
  const target = join(cacheDir, `${basename(clipPath, extname(clipPath))}-${widthPx}w-${digest}.mp4`);
  if (await exists(target)) return target;
  await mkdir(cacheDir, { recursive: true });
  // Written aside and renamed: a reader never sees half a file, two makers at once both end with a whole one.
  const partial = `${target}.${process.pid}.partial.mp4`;
  // The GOP from the clip's frame rate is not known here; 25 frames is a second at the usual camera rates.
  await run(options.ffmpegPath ?? 'ffmpeg', [
    ...['-v', 'error', '-y', '-i', clipPath, '-an'],
    ...['-vf', `scale=${widthPx}:-2`, '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20'],
    ...['-g', '25', '-bf', '0', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', partial],
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
