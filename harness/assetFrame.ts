// A frame cut from an asset clip with ffmpeg, and where an asset is: what the inference tests and the
// small-object bench look at (the hand-counted frames, harness/handCounts.ts).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Config } from '../core/config.ts';

const execFileAsync = promisify(execFile);

export function assetPath(config: Pick<Config, 'assetsDir'>, relative: string): string {
  return join(config.assetsDir, relative);
}

/** One frame of a clip at `atSeconds` as JPEG, optionally scaled to `widthPx` wide (as ingest does). */
export async function extractFrame(clipPath: string, atSeconds: number, widthPx?: number): Promise<Buffer> {
  const args = ['-v', 'error', '-ss', String(atSeconds), '-i', clipPath, '-frames:v', '1'];
  if (widthPx) args.push('-vf', `scale=${widthPx}:-2`);
  args.push('-q:v', '3', '-f', 'image2pipe', '-c:v', 'mjpeg', 'pipe:1');
  const { stdout } = await execFileAsync('ffmpeg', args, { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}
