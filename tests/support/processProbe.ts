// What a resilience test watches in a process from /proc: zombies among its children, open file
// descriptors and resident memory, so a leak shows even when no handle to the leaked thing is left.
import { readdirSync, readFileSync } from 'node:fs';

/** Pids of children of `parentPid` that exited and were never reaped. */
export function zombieChildPids(parentPid = process.pid): number[] {
  const zombies: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone while we looked
    }
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (state === 'Z' && Number(ppid) === parentPid) zombies.push(Number(entry));
  }
  return zombies;
}

export function openFdCount(pid = process.pid): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

export function rssBytes(pid = process.pid): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
}

/** The p-quantile (0…1) of `values`, nearest rank; NaN for none. */
export function quantile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}
