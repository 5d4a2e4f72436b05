// A camera that pushes RTMP into the embedded node-media-server, ingested from rtmp://127.0.0.1:port/live/<key>
// like any pulled source; HTTP-FLV serves the same stream for a low-latency view.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHlsPlaylist } from '../../../ingest/hlsPlaylist.ts';
import { IngestManager } from '../../../ingest/ingestManager.ts';
import { MediaServer } from '../../../ingest/mediaServer.ts';
import { MediaServerError } from '../../../core/errors.ts';
import { freePort } from '../../../harness/freePort.ts';
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

describe('RTMP push into the embedded media server', () => {
  const config = ingestTestConfig();
  const hlsRoot = tempHlsRoot();
  const stateRoot = tempHlsRoot();
  const captured = captureLogger('info');
  const healthLog = new HealthLog();
  const sink = new RecordingSink();
  let mediaServer: MediaServer;
  let pusher: ChildProcess | null = null;
  let manager: IngestManager;

  beforeAll(async () => {
    mediaServer = await MediaServer.start({
      host: '127.0.0.1',
      rtmpPort: await freePort(),
      httpPort: await freePort(),
      stateDir: stateRoot.path,
      logger: captured.logger,
    });
    manager = new IngestManager({
      config,
      hlsRoot: hlsRoot.path,
      logger: captured.logger,
      onHealth: healthLog.onHealth,
      frameSinkFor: () => sink,
    });
  });

  afterAll(async () => {
    await manager?.close();
    if (pusher && pusher.exitCode === null && pusher.signalCode === null) {
      const exited = new Promise((resolve) => pusher!.once('exit', resolve));
      pusher.kill('SIGKILL');
      await exited;
    }
    await mediaServer?.close();
    hlsRoot.remove();
    stateRoot.remove();
    expect(childProcessPids('ffmpeg')).toEqual([]);
  });

  it('ingests a clip pushed with ffmpeg -re -c copy -f flv', async () => {
    const url = mediaServer.rtmpUrl('cam-push');
    // Not vn_traffic.mp4: looped with -stream_loop, its duplicated first timestamp comes back every 10.4 s
    // and breaks any stream copy into MPEG-TS (the file quirk the transcode fallback test is about).
    pusher = spawn(
      config.media.ffmpegPath,
      [
        '-hide_banner',
        '-nostdin',
        '-loglevel',
        'error',
        '-re',
        '-stream_loop',
        '-1',
        '-i',
        assetPath(config, 'video/vn_wrong_way.mp4'),
        '-an',
        '-c',
        'copy',
        '-f',
        'flv',
        url,
      ],
      { stdio: 'ignore' },
    );
    await waitFor(() => captured.text().includes('rtmp stream published'), 30_000, 'the push to be published');

    await manager.reconcile([testCamera('pushed', { mainUrl: url, sampleFps: 2 })]);
    await healthLog.waitForState('pushed', 'live', 30_000);
    const hlsDir = manager.hlsDirOf('pushed');
    await waitFor(
      async () => {
        const p = await readHlsPlaylist(hlsDir);
        return p && p.segments.length > 0 ? p : null;
      },
      30_000,
      'an HLS segment of the pushed camera',
    );
    expect(await probeNewestSegment(hlsDir)).toEqual({ codec: 'h264', widthPx: 1568, heightPx: 778 });
    await waitFor(() => sink.frames.length >= 3, 20_000, 'frames of the pushed camera');
    expect(manager.health()[0]).toMatchObject({ state: 'live', hlsMode: 'copy' });

    // The HTTP-FLV view answers with an FLV stream.
    const response = await fetch(mediaServer.flvUrl('cam-push'));
    const reader = response.body!.getReader();
    const { value } = await reader.read();
    await reader.cancel();
    expect(Buffer.from(value!).subarray(0, 3).toString('latin1')).toBe('FLV');
  });

  it('refuses a second embedded server in the same process', async () => {
    await expect(
      MediaServer.start({
        host: '127.0.0.1',
        rtmpPort: await freePort(),
        httpPort: await freePort(),
        stateDir: stateRoot.path,
        logger: captured.logger,
      }),
    ).rejects.toBeInstanceOf(MediaServerError);
  });
});
