// Media facts for tests: what ffprobe says a file holds, and which ffmpeg processes this test process owns
// (read from /proc, so a leaked child is seen even if no handle to it is left).
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface ProbedVideo {
  codec: string;
  widthPx: number;
  heightPx: number;
}

export async function probeVideo(path: string, ffprobePath = 'ffprobe'): Promise<ProbedVideo> {
  const { stdout } = await execFileAsync(ffprobePath, [
    '-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,width,height', '-of', 'json', path,
  ]);
  const stream = (JSON.parse(stdout) as { streams: { codec_name: string; width: number; height: number }[] }).streams[0];
  if (!stream) throw new Error(`no video stream in ${path}`);
  return { codec: stream.codec_name, widthPx: stream.width, heightPx: stream.height };
}

/** Pids of live (not zombie) processes named `name` whose parent is `parentPid`. */
export function childProcessPids(name = 'ffmpeg', parentPid = process.pid): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // pid (comm) state ppid …; comm may hold spaces, so split after the last ')'.
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (comm === name && Number(ppid) === parentPid && state !== 'Z') pids.push(Number(entry));
  }
  return pids;
}
