// Bench results kept as one JSON file per run in bench/results/ (git-ignored), named by start time, so
// the latest run can be compared with the one before it.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BenchResult } from './benchResult.ts';

export function resultFileStem(startedAt: string): string {
  return startedAt.replace(/[:.]/g, '-');
}

/** The newest earlier result of the same kind (single run or sweep), or null. Unreadable files are skipped. */
export function previousResult(outDir: string, sweep: boolean): { file: string; result: BenchResult } | null {
  let names: string[];
  try {
    names = readdirSync(outDir)
      .filter((n) => n.endsWith('.json'))
      .sort()
      .reverse();
  } catch {
    return null;
  }
  for (const name of names) {
    try {
      const result = JSON.parse(readFileSync(join(outDir, name), 'utf8')) as BenchResult;
      if (result.version === 1 && (result.sweep !== null) === sweep && result.runs?.length > 0)
        return { file: join(outDir, name), result };
    } catch {
      // a file cut short by an interrupted run: not a result
    }
  }
  return null;
}

export function saveResult(outDir: string, result: BenchResult): string {
  mkdirSync(outDir, { recursive: true });
  const file = resolve(outDir, `${resultFileStem(result.startedAt)}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

export function saveChart(outDir: string, startedAt: string, svg: string): string {
  mkdirSync(outDir, { recursive: true });
  const file = resolve(outDir, `${resultFileStem(startedAt)}-sweep.svg`);
  writeFileSync(file, svg);
  return file;
}
