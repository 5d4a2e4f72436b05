import { describe, expect, it } from 'vitest';
import { CameraPipeline, type PipelineOutput } from '../../../analytics/cameraPipeline.ts';
import { analyticsEvents, liveTracksMessage } from '../../../analyzer/livePublisher.ts';
import { trafficResults, TEST_ANALYSIS } from './syntheticTraffic.ts';
import { pipelineFrameOf } from '../../../analytics/pipelineFrameOf.ts';

function outputs(): PipelineOutput[] {
  const pipeline = new CameraPipeline('cam', TEST_ANALYSIS, { widthPx: 960, heightPx: 540 });
  const results = trafficResults({ cameraId: 'cam', startMs: Date.UTC(2026, 10, 25, 3), durationMs: 30_000, fps: 5 });
  return results.map((r) => pipeline.process(pipelineFrameOf(r))!);
}

describe('live messages', () => {
  it('carries confirmed and lost tracks only, boxes to one decimal, with speeds', () => {
    const all = outputs();
    const busy = all.find(
      (o) =>
        o.tracks.tracks.some((t) => t.state === 'tentative') && o.tracks.tracks.some((t) => t.state === 'confirmed'),
    )!;
    const message = liveTracksMessage('cam', { widthPx: 960, heightPx: 540 }, busy);
    expect(message.tracks.length).toBe(busy.tracks.tracks.filter((t) => t.state !== 'tentative').length);
    for (const track of message.tracks) {
      for (const v of track.box) expect(Math.round(v * 10) / 10).toBe(v);
      expect(['confirmed', 'lost']).toContain(track.state);
    }
    expect(
      all.some((o) =>
        liveTracksMessage('cam', { widthPx: 960, heightPx: 540 }, o).tracks.some((t) => t.speedKmh !== null),
      ),
    ).toBe(true);
  });

  it('gives every crossing and zone event an id stable across replays', () => {
    const first = outputs().flatMap((o) => analyticsEvents('cam', o));
    const again = outputs().flatMap((o) => analyticsEvents('cam', o));
    expect(first.map((e) => e.eventId)).toEqual(again.map((e) => e.eventId));
    expect(new Set(first.map((e) => e.eventId)).size).toBe(first.length);
    expect(first.some((e) => e.type === 'lineCrossing')).toBe(true);
    expect(first.some((e) => e.type === 'zoneEnter')).toBe(true);
  });
});
