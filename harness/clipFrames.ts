// A clip's frames decoded by ffmpeg at a fixed sample rate, as JPEGs in clip order: what a camera's frame
// sampler would hand the queue, without a camera. Frame i is at clip time i / sampleFps.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { JpegSplitter } from '../ingest/jpegSplitter.ts';

const execFileAsync = promisify(execFile);

export interface ClipFrameOptions {
  sampleFps: number;
  /** Scale to this width (height keeps the aspect, even); the clip's own size when absent. */
  widthPx?: number;
  /** JPEG quality for ffmpeg's mjpeg (2 best … 31 worst). Default 4. */
  qscale?: number;
}

export async function decodeClipFrames(clipPath: string, options: ClipFrameOptions): Promise<Buffer[]> {
  const filters = [`fps=${options.sampleFps}`];
  if (options.widthPx) filters.push(`scale=${options.widthPx}:-2`);
  const { stdout } = await execFileAsync(
    'ffmpeg',
    [
      '-v',
      'error',
      '-i',
      clipPath,
      '-an',
      '-vf',
      filters.join(','),
      '-q:v',
      String(options.qscale ?? 4),
      '-f',
      'image2pipe',
      '-c:v',
      'mjpeg',
      'pipe:1',
    ],
    { encoding: 'buffer', maxBuffer: 1024 * 1024 * 1024 },
  );
  return new JpegSplitter({ maxFrameBytes: 32 * 1024 * 1024 }).push(stdout);
}
