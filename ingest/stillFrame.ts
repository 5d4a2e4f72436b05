// A still JPEG of a camera's live view, cut from the newest finished HLS segment (no extra connection
// to the camera). The setup page draws lines and zones on it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import ffmpeg from 'fluent-ffmpeg';
import { MediaNotFoundError } from '../core/errors.ts';

/** Segment names listed in a live playlist, oldest first (only finished segments are listed). */
export function segmentsOfPlaylist(playlist: string): string[] {
  return playlist
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

export async function grabStillFrame(hlsDir: string, ffmpegPath: string, timeoutMs = 10_000): Promise<Buffer> {
  const playlist = await readFile(join(hlsDir, 'index.m3u8'), 'utf8').catch(() => null);
  const newest = playlist ? segmentsOfPlaylist(playlist).at(-1) : undefined;
  if (!newest || !/^[A-Za-z0-9_-]+\.(ts|m4s|mp4)$/.test(newest)) {
    throw new MediaNotFoundError('the camera has no live video yet', { field: 'id' });
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const output = new PassThrough();
    output.on('data', (chunk: Buffer) => chunks.push(chunk));
    const command = ffmpeg(join(hlsDir, newest))
      .setFfmpegPath(ffmpegPath)
      .outputOptions(['-frames:v', '1', '-q:v', '3'])
      .format('image2pipe')
      .videoCodec('mjpeg')
      .on('error', (err: Error) => {
        clearTimeout(timer);
        reject(
          new MediaNotFoundError(`no frame could be cut from the live video: ${err.message.split('\n')[0]}`, {
            field: 'id',
          }),
        );
      })
      .on('end', () => {
        clearTimeout(timer);
        resolve(Buffer.concat(chunks));
      });
    const timer = setTimeout(() => command.kill('SIGKILL'), timeoutMs);
    command.pipe(output, { end: true });
  });
}
