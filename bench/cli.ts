// `npm run bench -- [options]`: runs the real system on synthetic cameras, prints the report (progress on
// stderr while it runs), writes bench/results/<time>.json (and the sweep's SVG) and compares with the last run.
import { BenchUsageError, parseBenchArgs, USAGE } from './options.ts';
import { ProgressBar } from './progress.ts';
import { renderReport } from './report.ts';
import { previousResult, saveResult } from './resultsStore.ts';
import { runBench, type RunningStack } from './runBench.ts';

async function main(argv: string[]): Promise<number> {
  let options;
  try {
    options = parseBenchArgs(argv);
  } catch (err) {
    if (!(err instanceof BenchUsageError)) throw err;
    if (err.message) process.stderr.write(`bench: ${err.message}\n`);
    process.stderr.write(`${USAGE}\n`);
    return err.message ? 2 : 0;
  }
  const running: RunningStack = { current: null };
  const interrupt = (signal: string) => {
    process.stderr.write(`\nbench: ${signal}, removing the bench system…\n`);
    void (running.current?.close() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', () => interrupt('SIGINT'));
  process.once('SIGTERM', () => interrupt('SIGTERM'));

  const previous = previousResult(options.outDir, options.sweep !== null);
  const result = await runBench(options, new ProgressBar(), running, `npm run bench -- ${argv.join(' ')}`.trim());
  const file = saveResult(options.outDir, result);
  process.stdout.write(`${renderReport(result, previous)}\n\nresult: ${file}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
