// Runs one of bench/'s scripts as its own process, as a user would (tests may not import bench/:
// shared/DESIGN.md "Rooms"), and hands back its exit code and what it printed.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface BenchScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr as they came, interleaved. */
  output: string;
}

/** `script` relative to the repository, e.g. "bench/workerHosts.ts"; `env` replaces this process's environment. */
export function runBenchScript(script: string, args: string[], env?: NodeJS.ProcessEnv): Promise<BenchScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: REPO_ROOT,
      env: env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run: BenchScriptRun = { code: null, stdout: '', stderr: '', output: '' };
    child.stdout.on('data', (chunk: Buffer) => {
      run.stdout += chunk.toString('utf8');
      run.output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      run.stderr += chunk.toString('utf8');
      run.output += chunk.toString('utf8');
    });
    child.once('error', reject);
    // 'close', not 'exit': both pipes are read to their end.
    child.once('close', (code) => resolve({ ...run, code }));
  });
}
