// Media facts for tests: what ffprobe says a file holds, and which ffmpeg processes this test process owns
// (read from /proc, so a leaked child is seen even if no handle to it is left).
import { execFile } from 'node:child_process';
import { childProcesses } from './processProbe.ts';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface ProbedVideo {
  codec: string;
  widthPx: number;
  heightPx: number;
}

export async function probeVideo(path: string, ffprobePath = 'ffprobe'): Promise<ProbedVideo> {
  const { stdout } = await execFileAsync(ffprobePath, [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-show_entries',
    'stream=codec_name,width,height',
    '-of',
    'json',
    path,
  ]);
  const stream = (JSON.parse(stdout) as { streams: { codec_name: string; width: number; height: number }[] })
    .streams[0];
  if (!stream) throw new Error(`no video stream in ${path}`);
  return { codec: stream.codec_name, widthPx: stream.width, heightPx: stream.height };
}

/** Pids of live (not zombie) processes named `name` whose parent is `parentPid`. */
export function childProcessPids(name = 'ffmpeg', parentPid = process.pid): number[] {
  return childProcesses(parentPid)
    .filter((c) => c.name === name && c.state !== 'Z')
    .map((c) => c.pid);
}
