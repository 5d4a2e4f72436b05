// What the analyzer tells the rest of the system besides the store: live tracks and events on pub/sub,
// a rebuilt pipeline and new inference crops when an operator edits a camera's lines.
import { afterEach, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { createLogger } from '../../../core/logger.ts';
import type { CameraAnalysis } from '../../../core/cameraAnalysis.ts';
import type { AnalyticsEvent, LiveTracksMessage } from '../../../core/liveChannels.ts';
import { MINUTE_MS } from '../../../analytics/minuteCounts.ts';
import { startAnalyzerProcess, type AnalyzerProcess } from '../../../analyzer/process.ts';
import { CameraAnalysisRepository } from '../../../store/cameraAnalysis.ts';
import { trafficResults, TEST_ANALYSIS } from '../../unit/analyzer/syntheticTraffic.ts';
import {
  asDelivered,
  checkpointOf,
  createTestCamera,
  openAnalyzerTestEnv,
  referenceRows,
  storedRows,
  waitFor,
  writeResults,
  type AnalyzerTestEnv,
} from './helpers.ts';
import { createRedis, redisChannels, redisKeys } from '../../../core/redis.ts';

const logger = createLogger({ level: 'silent' });
const START_MS = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS - 30 * MINUTE_MS;

let env: AnalyzerTestEnv | null = null;
const analyzers: AnalyzerProcess[] = [];
const subscribers: Redis[] = [];

afterEach(async () => {
  for (const analyzer of analyzers.splice(0)) await analyzer.close();
  for (const subscriber of subscribers.splice(0)) subscriber.disconnect();
  await env?.cleanup();
  env = null;
});

async function start(id: string): Promise<AnalyzerProcess> {
  const analyzer = await startAnalyzerProcess(env!.config, logger, { analyzerId: id });
  analyzers.push(analyzer);
  return analyzer;
}

describe('analyzer outputs besides the store', () => {
  it('publishes live tracks for the wall and every line crossing once per event id', async () => {
    env = await openAnalyzerTestEnv({ liveIntervalMs: 0 });
    const cameraId = await createTestCamera(env.db.pool);
    const delivered = asDelivered(
      trafficResults({ cameraId, startMs: START_MS, durationMs: MINUTE_MS + 5000, fps: 5 }),
    );

    const subscriber = createRedis(env.config.redis.url, 'subscriber');
    subscribers.push(subscriber);
    const trackMessages: LiveTracksMessage[] = [];
    const events = new Map<string, AnalyticsEvent>();
    subscriber.on('message', (channel: string, message: string) => {
      if (channel === redisChannels.liveTracks(env!.config.redis.prefix, cameraId))
        trackMessages.push(JSON.parse(message) as LiveTracksMessage);
      else {
        const event = JSON.parse(message) as AnalyticsEvent;
        events.set(event.eventId, event);
      }
    });
    await subscriber.subscribe(
      redisChannels.liveTracks(env.config.redis.prefix, cameraId),
      redisChannels.analyticsEvents(env.config.redis.prefix, cameraId),
    );

    await start('live');
    const lastId = await writeResults(env.redis, env.config.redis.prefix, delivered);
    await waitFor(
      async () => (await checkpointOf(env!.redis, env!.config.redis.prefix, cameraId))?.streamId === lastId,
      60_000,
      'caught up',
    );
    const crossingsStored = (await storedRows(env.db.pool, cameraId)).counts.reduce(
      (sum, line) => sum + (JSON.parse(line) as number[])[4]!,
      0,
    );
    const lineEvents = () => [...events.values()].filter((e) => e.type === 'lineCrossing');
    // Every crossing of the closed minute has its event (and a few of the open minute come on top).
    await waitFor(
      () => lineEvents().filter((e) => e.timestampMs < START_MS + MINUTE_MS).length === crossingsStored,
      10_000,
      'crossing events',
    );
    expect(crossingsStored).toBeGreaterThan(0);
    const crossing = lineEvents()[0]!;
    expect(crossing).toMatchObject({ type: 'lineCrossing', cameraId, lineId: 'stop-line' });
    expect(['inbound', 'outbound']).toContain(crossing.type === 'lineCrossing' && crossing.direction);
    expect([...events.values()].some((e) => e.type === 'zoneEnter')).toBe(true);

    await waitFor(() => trackMessages.some((m) => m.tracks.length > 0), 10_000, 'a live tracks message');
    const withTracks = trackMessages.find((m) => m.tracks.length > 0)!;
    expect(withTracks).toMatchObject({ type: 'tracks', cameraId, frameWidthPx: 960, frameHeightPx: 540 });
    const track = withTracks.tracks[0]!;
    expect(track.box).toHaveLength(4);
    expect(typeof track.id).toBe('number');
    expect(['confirmed', 'lost']).toContain(track.state);
  });

  it('rebuilds a camera whose lines were edited: new crops, new line counted, minutes already written left as they were', async () => {
    env = await openAnalyzerTestEnv({ analysisRefreshMs: 300, inferenceRegions: 'lines-and-zones' });
    const cameraId = await createTestCamera(env.db.pool);
    const delivered = asDelivered(
      trafficResults({ cameraId, startMs: START_MS, durationMs: 3 * MINUTE_MS + 5000, fps: 5 }),
    );
    const cut = delivered.findIndex((r) => r.capturedAtMs >= START_MS + 100_000);
    const prefix = env.config.redis.prefix;

    await start('editor');
    const firstId = await writeResults(env.redis, prefix, delivered.slice(0, cut));
    await waitFor(
      async () => (await checkpointOf(env!.redis, prefix, cameraId))?.streamId === firstId,
      60_000,
      'first part analysed',
    );
    const minute0 = (await storedRows(env.db.pool, cameraId)).counts;
    expect(minute0.length).toBeGreaterThan(0);
    const planBefore = await env.redis.hget(redisKeys.analysisPlans(prefix), cameraId);

    const edited: CameraAnalysis = {
      ...TEST_ANALYSIS,
      lines: [
        ...TEST_ANALYSIS.lines,
        {
          id: 'exit-line',
          points: [
            { x: 0, y: 900 },
            { x: 1920, y: 900 },
          ],
        },
      ],
    };
    await new CameraAnalysisRepository(env.db.pool).set(cameraId, edited);
    await waitFor(
      async () => (await env!.redis.hget(redisKeys.analysisPlans(prefix), cameraId)) !== planBefore,
      10_000,
      'new inference crops',
    );
    const plan = JSON.parse((await env.redis.hget(redisKeys.analysisPlans(prefix), cameraId))!);
    // The exit line (y = 450 on the analysed frame) now has a crop too: 450 ± 48 px, merged with the zone's and the stop line's.
    expect(plan.crops).toEqual([{ x: 0, y: 102, widthPx: 960, heightPx: 396 }]);

    const lastId = await writeResults(env.redis, prefix, delivered.slice(cut));
    await waitFor(
      async () => (await checkpointOf(env!.redis, prefix, cameraId))?.streamId === lastId,
      60_000,
      'second part analysed',
    );
    const rows = await storedRows(env.db.pool, cameraId);
    const minute1Iso = new Date(START_MS + MINUTE_MS).toISOString();
    const before = (lines: string[]) => lines.filter((l) => (JSON.parse(l) as string[])[0]! < minute1Iso);
    const after = (lines: string[]) => lines.filter((l) => (JSON.parse(l) as string[])[0]! >= minute1Iso);
    // Minute 0 was written under the old lines and stays exactly so.
    expect(before(rows.counts)).toEqual(minute0);
    // From minute 1 on, everything is what a pipeline built with the new lines stores (it replayed the stream to warm up).
    const reference = referenceRows(cameraId, delivered, env.config, edited);
    expect(after(rows.counts)).toEqual(after(reference.counts));
    expect(after(rows.zones)).toEqual(after(reference.zones));
    expect(after(rows.counts).some((l) => l.includes('exit-line'))).toBe(true);
  });
});
