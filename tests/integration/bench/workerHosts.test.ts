// bench/workerHosts.ts end to end with a small backlog: network-namespace hosts, a private Redis on the data
// host, real worker roles on one then two worker hosts. The JSON it writes must show every frame drained at
// each step and, with two hosts, both taking frames from the one queue.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBenchScript } from '../../support/runBenchScript.ts';

/** The fields of the bench's JSON read here (tests may not import bench/: shared/DESIGN.md "Rooms"). */
interface WorkerHostsJson {
  frames: number;
  steps: Array<{ workerHosts: number; framesPerSecond: number; byWorker: Record<string, number>; machineBusy: number }>;
  perAddedHost: number | null;
}

const outDir = mkdtempSync(join(tmpdir(), 'ioc-worker-hosts-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('worker hosts bench', () => {
  it('drains the same backlog on one and on two worker hosts, the second host taking a share of the frames', async () => {
    const { code, output } = await runBenchScript('bench/workerHosts.ts', [
      '--hosts',
      '1,2',
      '--frames',
      '40',
      '--cameras',
      '2',
      '--out',
      outDir,
    ]);
    expect(code, output).toBe(0);
    const [file] = readdirSync(outDir).filter((f) => f.startsWith('worker-hosts-'));
    const run = JSON.parse(readFileSync(join(outDir, file!), 'utf8')) as WorkerHostsJson;
    expect(run.steps.map((s) => s.workerHosts)).toEqual([1, 2]);
    for (const step of run.steps) {
      expect(Object.values(step.byWorker).reduce((a, b) => a + b, 0)).toBe(40);
      expect(Object.keys(step.byWorker)).toHaveLength(step.workerHosts);
      expect(step.framesPerSecond).toBeGreaterThan(0);
      expect(step.machineBusy).toBeGreaterThan(0);
    }
    // Each of the two hosts analysed frames: the queue spreads work over hosts.
    expect(Math.min(...Object.values(run.steps[1]!.byWorker))).toBeGreaterThan(0);
    expect(run.perAddedHost).toBeCloseTo(run.steps[1]!.framesPerSecond - run.steps[0]!.framesPerSecond, 6);
    expect(output).toContain('frames/s per added worker host');
  }, 240_000);
});
