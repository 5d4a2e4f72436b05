// The end of a camera's source travels as an `end` entry in its results stream, in seq order after the source's
// last frame: the analyzer ends every track there (a scene cut, 'sourceEnded'), so a vehicle caught crossing is
// stored; the same stream without the entry (a stream gone quiet) stores one crossing fewer.
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/logger.ts';
import type { InferenceResult } from '../../../core/inferenceResult.ts';
import { startAnalyzerProcess, type AnalyzerProcess } from '../../../analyzer/process.ts';
import { publishResult, publishSourceEnd } from '../../../inference/results.ts';
import { CameraPipeline } from '../../../analytics/cameraPipeline.ts';
import { pipelineFrameOf } from '../../../analytics/pipelineFrameOf.ts';
import { TEST_ANALYSIS, trafficResults } from '../../unit/analyzer/syntheticTraffic.ts';
import { createTestCamera, openAnalyzerTestEnv, waitFor, type AnalyzerTestEnv } from './helpers.ts';

const logger = createLogger({ level: 'silent' });
const START_MS = Date.now() - 10 * 60_000;

let env: AnalyzerTestEnv | null = null;
let analyzer: AnalyzerProcess | null = null;

afterEach(async () => {
  await analyzer?.close();
  analyzer = null;
  await env?.cleanup();
  env = null;
});

/** Crossings the pipeline counts over `results`, with and without the source's end after them. */
function crossingsOf(results: InferenceResult[]): { quiet: number; ended: number } {
  const first = results[0]!;
  const pipeline = new CameraPipeline('ref', TEST_ANALYSIS, {
    widthPx: first.frameWidthPx,
    heightPx: first.frameHeightPx,
  });
  const quiet = results.reduce((n, r) => n + pipeline.process(pipelineFrameOf(r))!.crossings.length, 0);
  return { quiet, ended: quiet + pipeline.endSource(results[results.length - 1]!.seq + 1).length };
}

async function storedTotal(cameraId: string): Promise<number> {
  const { rows } = await env!.db.pool.query<{ total: string | null }>(
    'SELECT SUM(count) AS total FROM traffic_counts WHERE camera_id = $1',
    [cameraId],
  );
  return Number(rows[0]!.total ?? 0);
}

describe('analyzer and the end of a source', () => {
  it(
    'stores the crossing a vehicle was making as the source ended, in seq order, and one fewer without the end',
    { timeout: 90_000 },
    async () => {
      env = await openAnalyzerTestEnv({ idleFlushMs: 1000 });
      const prefix = env.config.redis.prefix;
      const [ended, quiet] = [await createTestCamera(env.db.pool, 'ended'), await createTestCamera(env.db.pool)];
      // The synthetic street, cut where a vehicle is crossing the line (found by the pipeline itself).
      const all = trafficResults({ cameraId: ended, startMs: START_MS, durationMs: 60_000, fps: 5 });
      let cutAt = 50;
      while (cutAt < all.length && crossingsOf(all.slice(0, cutAt)).ended === crossingsOf(all.slice(0, cutAt)).quiet)
        cutAt++;
      const clip = all.slice(0, cutAt);
      const expected = crossingsOf(clip);
      expect(expected.ended).toBe(expected.quiet + 1);

      analyzer = await startAnalyzerProcess(env.config, logger, { analyzerId: 'analyzer-source-end' });
      await waitFor(
        () => analyzer!.cameraStats()[ended] !== undefined && analyzer!.cameraStats()[quiet] !== undefined,
        20_000,
        'both cameras owned',
      );
      const last = clip[clip.length - 1]!;
      // The end comes before the source's last result (two workers), and still ends the tracks after it.
      for (const r of clip.slice(0, -1)) await publishResult(env.redis, prefix, 1_000_000, r);
      await publishSourceEnd(env.redis, prefix, 1_000_000, {
        cameraId: ended,
        seq: last.seq + 1,
        capturedAtMs: last.capturedAtMs,
      });
      await publishResult(env.redis, prefix, 1_000_000, last);
      for (const r of clip) await publishResult(env.redis, prefix, 1_000_000, { ...r, cameraId: quiet });

      const idle = (cameraId: string) => (analyzer!.cameraStats()[cameraId]?.idleCommits ?? 0) > 0;
      await waitFor(() => idle(ended) && idle(quiet), 30_000, 'both cameras idle and written');
      expect(analyzer.cameraStats()[ended]!.framesProcessed).toBe(clip.length);
      expect(analyzer.cameraStats()[ended]!.sceneCuts.sourceEnded).toBe(1);
      expect(analyzer.cameraStats()[quiet]!.sceneCuts.sourceEnded ?? 0).toBe(0);
      expect(await storedTotal(ended)).toBe(expected.ended);
      expect(await storedTotal(quiet)).toBe(expected.quiet);
    },
  );
});
