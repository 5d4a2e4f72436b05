// CPU seconds and peak memory of a process tree read from /proc (the bench's roles and the ffmpegs under ingest,
// the resilience tests' children), sampled every few hundred ms; CPU over a window is the difference of two samples.
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SEC = 100; // Linux USER_HZ

export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after "pid (comm) ".
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SEC;
}

export interface ProcessSample {
  pid: number;
  ppid: number;
  command: string;
  cpuSec: number;
  rssKiB: number;
}

export interface ProcessUsage {
  pid: number;
  /** A name the report uses: the role for our processes, "ffmpeg <camera>" for their children. */
  name: string;
  cpuSec: number;
  /** Busy fraction of one core over the window. */
  cpuCores: number;
  peakRssMiB: number;
}

function readProcess(pid: number): ProcessSample | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    return { pid, ppid, command, cpuSec: cpuSecondsOf(pid), rssKiB };
  } catch {
    return null; // exited between the listing and the read
  }
}

/** Every live descendant of `rootPid` (not the root itself). */
export function descendantsOf(rootPid: number): ProcessSample[] {
  const all: ProcessSample[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const sample = readProcess(Number(entry));
    if (sample) all.push(sample);
  }
  const byParent = new Map<number, ProcessSample[]>();
  for (const p of all) byParent.set(p.ppid, [...(byParent.get(p.ppid) ?? []), p]);
  const out: ProcessSample[] = [];
  const walk = (pid: number) => {
    for (const child of byParent.get(pid) ?? []) {
      out.push(child);
      walk(child.pid);
    }
  };
  walk(rootPid);
  return out;
}

/**
 * Samples the bench's process tree. `nameOf` names a process from its command line (null = ignore it).
 * Peak memory is the largest RSS seen in any sample; CPU is taken between markWindowStart() and usage().
 */
export class ProcessTreeSampler {
  private readonly atStart = new Map<number, number>();
  private readonly latest = new Map<number, ProcessSample & { name: string; peakRssKiB: number; lastSeenMs: number }>();
  private windowStartMs = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly rootPid: number,
    private readonly nameOf: (sample: ProcessSample) => string | null,
    private readonly intervalMs = 500,
  ) {}

  start(): void {
    this.sample();
    this.timer ??= setInterval(() => this.sample(), this.intervalMs);
  }

  sample(): void {
    for (const p of descendantsOf(this.rootPid)) {
      const name = this.nameOf(p);
      if (name === null) continue;
      const known = this.latest.get(p.pid);
      this.latest.set(p.pid, {
        ...p,
        name,
        peakRssKiB: Math.max(known?.peakRssKiB ?? 0, p.rssKiB),
        lastSeenMs: Date.now(),
      });
    }
  }

  markWindowStart(): void {
    this.sample();
    this.windowStartMs = Date.now();
    this.atStart.clear();
    for (const [pid, p] of this.latest) this.atStart.set(pid, p.cpuSec);
  }

  /**
   * Per process since markWindowStart(); a process started later counts from zero. One that exited before
   * the window is left out; one that exited during it keeps the CPU seen at its last sample.
   */
  usage(): ProcessUsage[] {
    this.sample();
    const windowSec = Math.max(0.001, (Date.now() - this.windowStartMs) / 1000);
    return [...this.latest.values()]
      .filter((p) => p.lastSeenMs >= this.windowStartMs)
      .map((p) => {
        const cpuSec = p.cpuSec - (this.atStart.get(p.pid) ?? 0);
        return {
          pid: p.pid,
          name: p.name,
          cpuSec: Math.round(cpuSec * 100) / 100,
          cpuCores: Math.round((cpuSec / windowSec) * 1000) / 1000,
          peakRssMiB: Math.round((p.peakRssKiB / 1024) * 10) / 10,
        };
      })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.pid - b.pid));
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
