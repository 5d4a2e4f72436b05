// What a resilience test watches in a process from /proc: zombies among its children, open file
// descriptors and resident memory, so a leak shows even when no handle to the leaked thing is left.
import { readdirSync, readFileSync } from 'node:fs';

export interface ChildProcessInfo {
  pid: number;
  /** The executable's name as the kernel has it (`comm`). */
  name: string;
  /** R, S, D, Z (zombie: exited, never reaped) … */
  state: string;
}

/** Children of `parentPid` as /proc shows them now. */
export function childProcesses(parentPid = process.pid): ChildProcessInfo[] {
  const children: ChildProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // pid (comm) state ppid …; comm may hold spaces, so split after the last ')'.
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(ppid) !== parentPid) continue;
    children.push({
      pid: Number(entry),
      name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
      state: state!,
    });
  }
  return children;
}

/** Pids of children of `parentPid` that exited and were never reaped. */
export function zombieChildPids(parentPid = process.pid): number[] {
  return childProcesses(parentPid)
    .filter((c) => c.state === 'Z')
    .map((c) => c.pid);
}

export function openFdCount(pid = process.pid): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

export function rssBytes(pid = process.pid): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
}
