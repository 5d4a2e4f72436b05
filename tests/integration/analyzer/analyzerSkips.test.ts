// Frames dropped by backpressure or rejected by a worker are marked skipped in the camera's stream: the
// analyzer, on its DEFAULT re-order wait, analyses what follows them at once, while a seq with no mark (a
// frame a dead worker held) is still waited for, and analysed in order when it comes (taken over).
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/logger.ts';
import type { InferenceResult } from '../../../core/inferenceResult.ts';
import { startAnalyzerProcess, type AnalyzerProcess } from '../../../analyzer/process.ts';
import { publishResult, publishSkip } from '../../../inference/results.ts';
import { trafficResults } from '../../unit/analyzer/syntheticTraffic.ts';
import { createTestCamera, openAnalyzerTestEnv, waitFor, type AnalyzerTestEnv } from './helpers.ts';

const logger = createLogger({ level: 'silent' });
/** One minute of 5 fps results, captured in the past (the wait is in capture time, not wall time). */
const START_MS = Date.now() - 10 * 60_000;
/** Analysed this soon after the last entry is written: a few XREAD blocks, far from the 20 s wait. */
const PROMPT_MS = 1500;

let env: AnalyzerTestEnv | null = null;
let analyzer: AnalyzerProcess | null = null;

afterEach(async () => {
  await analyzer?.close();
  analyzer = null;
  await env?.cleanup();
  env = null;
});

const processed = (cameraId: string) => analyzer!.cameraStats()[cameraId]?.framesProcessed ?? 0;

/** Writes the results, leaving out `dropped` (each with a skip entry just before its successor) and `inFlight`. */
async function writeStream(
  cameraId: string,
  results: InferenceResult[],
  dropped: Set<number>,
  inFlight: Set<number>,
): Promise<void> {
  const prefix = env!.config.redis.prefix;
  for (const result of results) {
    if (inFlight.has(result.seq)) continue;
    if (dropped.has(result.seq))
      await publishSkip(env!.redis, prefix, 1_000_000, {
        cameraId,
        seq: result.seq,
        reason: result.seq % 2 ? 'dropped' : 'rejected',
      });
    else await publishResult(env!.redis, prefix, 1_000_000, result);
  }
}

describe('analyzer and skipped seqs, on the default re-order wait', () => {
  it(
    'analyses results behind dropped and rejected frames at once, and waits only for a frame still in flight',
    { timeout: 60_000 },
    async () => {
      env = await openAnalyzerTestEnv();
      expect(env.config.analyzer.reorderMaxWaitMs).toBeGreaterThanOrEqual(
        env.config.queue.lockDurationMs + env.config.queue.stalledIntervalMs,
      );
      const cameraId = await createTestCamera(env.db.pool);
      const results = trafficResults({ cameraId, startMs: START_MS, durationMs: 60_000, fps: 5 });
      const dropped = new Set(results.map((r) => r.seq).filter((seq) => seq % 7 === 3));
      analyzer = await startAnalyzerProcess(env.config, logger, { analyzerId: 'analyzer-skips' });
      await waitFor(() => analyzer!.cameraStats()[cameraId] !== undefined, 20_000, 'the camera owned');

      // Every gap marked: everything is analysed within a few hundred ms of the last entry.
      const half = results.filter((r) => r.seq <= 200);
      await writeStream(cameraId, half, dropped, new Set());
      const writtenAt = Date.now();
      const expected = half.filter((r) => !dropped.has(r.seq)).length;
      await waitFor(() => processed(cameraId) === expected, 20_000, `${expected} results analysed`);
      const promptMs = Date.now() - writtenAt;
      console.info(
        `${expected} results behind ${[...dropped].filter((s) => s <= 200).length} skipped seqs analysed ${promptMs} ms after the last entry`,
      );
      expect(promptMs).toBeLessThan(PROMPT_MS);
      const stats = analyzer.cameraStats()[cameraId]!;
      expect(stats.seqsSkipped).toBe(0);
      expect(stats.seqsMarkedSkipped).toBe([...dropped].filter((s) => s <= 200).length);

      // Seq 205 unmarked (a dead worker holds it): what follows waits for it instead of being given up.
      const rest = results.filter((r) => r.seq > 200);
      await writeStream(cameraId, rest, dropped, new Set([205]));
      await new Promise((resolve) => setTimeout(resolve, PROMPT_MS));
      const beforeGap =
        half.length -
        [...dropped].filter((s) => s <= 200).length +
        rest.filter((r) => r.seq < 205 && !dropped.has(r.seq)).length;
      expect(processed(cameraId)).toBe(beforeGap);
      // Taken over: its result comes late, within the wait, and everything is analysed in order, nothing lost.
      await publishResult(
        env.redis,
        env.config.redis.prefix,
        1_000_000,
        results.find((r) => r.seq === 205)!,
      );
      const takenOverAt = Date.now();
      const all = results.filter((r) => !dropped.has(r.seq)).length;
      await waitFor(() => processed(cameraId) === all, 20_000, `all ${all} results analysed`);
      expect(Date.now() - takenOverAt).toBeLessThan(PROMPT_MS);
      expect(analyzer.cameraStats()[cameraId]!.seqsSkipped).toBe(0);
      expect(analyzer.cameraStats()[cameraId]!.duplicatesDropped).toBe(0);
    },
  );

  it(
    "analyses a camera's first results at once when its first frames were dropped before any result came",
    { timeout: 60_000 },
    async () => {
      env = await openAnalyzerTestEnv();
      const cameraId = await createTestCamera(env.db.pool);
      const results = trafficResults({ cameraId, startMs: START_MS, durationMs: 10_000, fps: 5 });
      analyzer = await startAnalyzerProcess(env.config, logger, { analyzerId: 'analyzer-burst' });
      await waitFor(() => analyzer!.cameraStats()[cameraId] !== undefined, 20_000, 'the camera owned');
      // A start-up burst: the queue's bound dropped seqs 0–11 at once, their skips written before any worker
      // answered; the kept frames' results come after, out of order.
      const prefix = env.config.redis.prefix;
      for (let seq = 0; seq < 12; seq++)
        await publishSkip(env.redis, prefix, 1_000_000, { cameraId, seq, reason: 'dropped' });
      const kept = results.filter((r) => r.seq >= 12);
      for (const result of [kept[1]!, kept[0]!, ...kept.slice(2)])
        await publishResult(env.redis, prefix, 1_000_000, result);
      const writtenAt = Date.now();
      await waitFor(() => processed(cameraId) === kept.length, 20_000, `${kept.length} results analysed`);
      expect(Date.now() - writtenAt).toBeLessThan(PROMPT_MS);
      expect(analyzer.cameraStats()[cameraId]!.seqsMarkedSkipped).toBe(12);
      expect(analyzer.cameraStats()[cameraId]!.seqsSkipped).toBe(0);
    },
  );
});
