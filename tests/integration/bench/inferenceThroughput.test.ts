// bench/inferenceThroughput.ts end to end with a small backlog: raw onnxruntime in the bench's process, the whole
// path through a real worker role process (bin/ioc.ts worker) whose own CPU is measured, then a paced run.
import { describe, expect, it } from 'vitest';
import { runBenchScript } from '../../support/runBenchScript.ts';

describe('inference throughput bench', () => {
  it('measures raw onnxruntime and the worker process side by side, then a paced run with nothing dropped', async () => {
    const { code, output } = await runBenchScript('bench/inferenceThroughput.ts', [
      '--frames',
      '30',
      '--rounds',
      '1',
      '--paced-seconds',
      '2',
    ]);
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
