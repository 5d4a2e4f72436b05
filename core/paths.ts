// Where processes on one box share files: every reader and writer of HLS derives the folder here.
import { join, resolve } from 'node:path';
import type { Config } from './config.ts';

/** Parent of the per-camera HLS folders (`<hlsRoot>/<cameraId>/index.m3u8`). */
export function hlsRootOf(config: Pick<Config, 'dataDir'>): string {
  return resolve(join(config.dataDir, 'hls'));
}

/** An alert's kept evidence clip: `<evidenceRoot>/<alertId>/index.m3u8` and its segments (hard links). */
export function evidenceRootOf(config: Pick<Config, 'dataDir'>): string {
  return resolve(join(config.dataDir, 'evidence'));
}
