// vn_traffic.mp4 read directly as a file: its first two packets share a timestamp and ffmpeg's stream copy
// into MPEG-TS dies after 0.9 s while decoding works. The supervisor must notice and re-encode the HLS.
import { afterAll, describe, expect, it } from 'vitest';
import { readHlsPlaylist } from '../../../ingest/hlsPlaylist.ts';
import { IngestManager } from '../../../ingest/ingestManager.ts';
import { captureLogger } from '../../support/logCapture.ts';
import { childProcessPids } from '../../support/media.ts';
import {
  assetPath,
  HealthLog,
  probeNewestSegment,
  ingestTestConfig,
  RecordingSink,
  tempHlsRoot,
  testCamera,
  waitFor,
} from '../../support/ingestHarness.ts';

describe('HLS copy stall of a file input', () => {
  const config = ingestTestConfig();
  const hlsRoot = tempHlsRoot();
  const healthLog = new HealthLog();
  const sink = new RecordingSink();
  const manager = new IngestManager({
    config,
    hlsRoot: hlsRoot.path,
    logger: captureLogger('info').logger,
    onHealth: healthLog.onHealth,
    frameSinkFor: () => sink,
  });

  afterAll(async () => {
    await manager.close();
    hlsRoot.remove();
    expect(childProcessPids('ffmpeg')).toEqual([]);
  });

  it('falls back to transcode, says so in health, and keeps producing segments', async () => {
    await manager.reconcile([
      testCamera('file-cam', { mainUrl: assetPath(config, 'video/vn_traffic.mp4'), sampleFps: 2 }),
    ]);

    const fallback = await healthLog.waitFor('file-cam', (h) => h.hlsMode === 'transcode', 45_000);
    expect(fallback.message).toMatch(/HLS stream copy failed \d+ times while decoding worked.*re-encoded/);
    const live = await healthLog.waitFor('file-cam', (h) => h.hlsMode === 'transcode' && h.state === 'live', 30_000);
    expect(live.message).toMatch(/re-encoded/);

    // Segments keep coming after the fallback: the playlist grows by at least two more.
    const hlsDir = manager.hlsDirOf('file-cam');
    const position = async () => {
      const p = await readHlsPlaylist(hlsDir);
      return p ? p.mediaSequence + p.segments.length : 0;
    };
    const start = await position();
    await waitFor(async () => (await position()) >= start + 2, 60_000, 'two more segments after the fallback');
    expect(await probeNewestSegment(hlsDir)).toEqual({ codec: 'h264', widthPx: 1920, heightPx: 1080 });
    expect(sink.frames.length).toBeGreaterThan(0);
    expect(manager.health()[0]).toMatchObject({ state: 'live', hlsMode: 'transcode' });
  });
});
