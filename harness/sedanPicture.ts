// A real car picture for synthetic clips: the grey sedan of vn_traffic.mp4 at 2 s (the dog.jpg car is read as a
// truck about one frame in five), cut out and resized to the size asked for.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import type { FrameSizePx } from '../core/geometry.ts';

const execFileAsync = promisify(execFile);

/** The sedan as a PNG of `size`, from the clip under `assetsDir`. */
export async function sedanPicture(assetsDir: string, size: FrameSizePx): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'ioc-sedan-'));
  try {
    const still = join(dir, 'sedan.jpg');
    await execFileAsync('ffmpeg', [
      '-v',
      'error',
      '-ss',
      '2',
      '-i',
      join(assetsDir, 'video/vn_traffic.mp4'),
      '-frames:v',
      '1',
      still,
    ]);
    return await sharp(still)
      .extract({ left: 128, top: 596, width: 396, height: 264 })
      .resize(size.widthPx, size.heightPx)
      .png()
      .toBuffer();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
