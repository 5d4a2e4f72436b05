// bench/inferenceThroughput.ts end to end with a small backlog: raw onnxruntime in the bench's process, the whole
// path through a real worker role process (bin/ioc.ts worker) whose own CPU is measured, then a paced run.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

function runBench(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/inferenceThroughput.ts', ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('inference throughput bench', () => {
  it('measures raw onnxruntime and the worker process side by side, then a paced run with nothing dropped', async () => {
    const { code, output } = await runBench(['--frames', '30', '--rounds', '1', '--paced-seconds', '2']);
    expect(code, output).toBe(0);
    const round =
      /round 1: raw onnxruntime ([\d.]+) frames\/s \(([\d.]+) CPU ms\/frame\), whole path \(backlog\) ([\d.]+) frames\/s \(([\d.]+) CPU ms\/frame\), ratio ([\d.]+), CPU-cost ratio ([\d.]+)/.exec(
        output,
      );
    expect(round, output).not.toBeNull();
    const [rawFps, rawCpuMs, pathFps, pathCpuMs, ratio, cpuRatio] = round!.slice(1).map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    expect(rawFps).toBeGreaterThan(0);
    expect(pathFps).toBeGreaterThan(0);
    // The worker process runs the same model on every frame: its CPU per frame cannot be below a fraction of the
    // model's own (a measure of the wrong process, or of nothing, would be).
    expect(pathCpuMs).toBeGreaterThan(rawCpuMs * 0.5);
    expect(ratio).toBeCloseTo(pathFps / rawFps, 1);
    expect(cpuRatio).toBeCloseTo(rawCpuMs / pathCpuMs, 1);
    expect(output).toMatch(/paced at \d+ fps for 2 s: queue→result p50 \d+ ms, p95 \d+ ms, dropped 0/);
  }, 240_000);
});
