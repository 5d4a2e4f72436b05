// One still JPEG pulled straight from a camera's source URL, for "test the connection" before a camera is
// saved: one short ffmpeg connection, killed at the deadline; the URL's credentials never reach an error text.
import { PassThrough } from 'node:stream';
import ffmpeg from 'fluent-ffmpeg';
import { MediaNotFoundError } from '../core/errors.ts';
import { redactUrlCredentials } from '../core/redact.ts';
import { sourceInputOptions } from './ffmpegArgs.ts';

export async function grabSourceFrame(url: string, ffmpegPath: string, timeoutMs = 8000): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const output = new PassThrough();
    output.on('data', (chunk: Buffer) => chunks.push(chunk));
    let timedOut = false;
    // RTSP as ingest opens it (TCP, its short probe: a low-rate source would spend most of the deadline probing).
    const inputOptions = /^rtsps?:/i.test(url) ? sourceInputOptions(url, timeoutMs) : [];
    const command = ffmpeg(url)
      .setFfmpegPath(ffmpegPath)
      .inputOptions(inputOptions)
      .outputOptions(['-frames:v', '1', '-q:v', '3'])
      .format('image2pipe')
      .videoCodec('mjpeg')
      .on('error', (err: Error) => {
        clearTimeout(timer);
        const reason = timedOut
          ? `no picture within ${Math.round(timeoutMs / 1000)} s`
          : redactUrlCredentials(err.message.split('\n')[0] ?? 'ffmpeg failed');
        reject(new MediaNotFoundError(`the source gave no picture: ${reason}`, { field: 'mainUrl' }));
      })
      .on('end', () => {
        clearTimeout(timer);
        const jpeg = Buffer.concat(chunks);
        if (jpeg.length === 0) reject(new MediaNotFoundError('the source gave no picture', { field: 'mainUrl' }));
        else resolve(jpeg);
      });
    const timer = setTimeout(() => {
      timedOut = true;
      command.kill('SIGKILL');
    }, timeoutMs);
    command.pipe(output, { end: true });
  });
}
