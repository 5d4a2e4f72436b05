// Ending a child process the same way everywhere: SIGTERM, SIGKILL after a grace period, and resolve
// only once it has exited, so nothing is left running behind a close().
import type { ChildProcess } from 'node:child_process';

export function stopChildProcess(
  proc: ChildProcess | null,
  graceMs: number,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const escalate = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    proc.once('exit', () => {
      clearTimeout(escalate);
      resolve();
    });
    proc.kill(signal);
  });
}
