// An alert's evidence clip cut from a real camera's live HLS: a looping RTSP camera ingested by a real
// ffmpeg, the segments around "now" linked out of the rolling window, kept after ffmpeg deletes the
// originals, and played back as a VOD playlist with hls.js in headless Chromium.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepClip, removeExpiredEvidence, type KeptClip } from '../../../alerts/clipKeeper.ts';
import { parseTimedPlaylist } from '../../../alerts/livePlaylist.ts';
import { IngestManager } from '../../../ingest/ingestManager.ts';
import { ARTIFACTS_DIR, launchBrowser } from '../../support/browser.ts';
import { captureLogger } from '../../support/logCapture.ts';
import { childProcessPids } from '../../support/media.ts';
import { startRtspServer, type RtspServer } from '../../../harness/rtspServer.ts';
import { assetPath, ingestTestConfig, tempHlsRoot, testCamera, waitFor } from '../../support/ingestHarness.ts';

const HLS_JS = createRequire(import.meta.url).resolve('hls.js/dist/hls.min.js');
const BEFORE_MS = 6_000;
const AFTER_MS = 6_000;

describe('evidence clip of a live camera', () => {
  const config = ingestTestConfig();
  const hlsRoot = tempHlsRoot();
  const evidenceRoot = mkdtempSync(join(tmpdir(), 'ioc-evidence-'));
  const alertId = randomUUID();
  const evidenceDir = join(evidenceRoot, alertId);
  const cameraId = 'clip-cam';
  let rtsp: RtspServer;
  let manager: IngestManager;
  let browser: Browser | undefined;
  let clipServer: Server | undefined;
  let clip: KeptClip;

  beforeAll(async () => {
    rtsp = await startRtspServer({ mounts: { cam: assetPath(config, 'video/vn_traffic.mp4') } });
    // Frames are not what this test is about: one a second, dropped.
    manager = new IngestManager({
      config,
      hlsRoot: hlsRoot.path,
      logger: captureLogger('warn').logger,
      frameSinkFor: () => ({ push() {} }),
    });
    await manager.reconcile([testCamera(cameraId, { mainUrl: rtsp.url('cam'), sampleFps: 1 })]);
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (clipServer ? clipServer.close(resolve) : resolve(undefined)));
    await manager?.close();
    await rtsp?.stop();
    hlsRoot.remove();
    rmSync(evidenceRoot, { recursive: true, force: true });
    expect(childProcessPids('ffmpeg')).toEqual([]);
  });

  it('keeps the segments from 6 s before to 6 s after an event as a dated VOD playlist', async () => {
    const hlsDir = manager.hlsDirOf(cameraId);
    // The event is "now" once the live list reaches back past the clip's start.
    await waitFor(
      async () => {
        const listed = parseTimedPlaylist(await readFile(join(hlsDir, 'index.m3u8'), 'utf8').catch(() => ''));
        return listed.length > 0 && listed[0]!.startMs <= Date.now() - BEFORE_MS - 1_000;
      },
      30_000,
      'live segments reaching 7 s back',
    );
    const eventMs = Date.now();

    clip = await keepClip({
      hlsDir,
      evidenceDir,
      fromMs: eventMs - BEFORE_MS,
      toMs: eventMs + AFTER_MS,
      pollMs: 250,
      deadlineMs: eventMs + AFTER_MS + 15_000,
    });

    expect(clip.state).toBe('ready');
    expect(clip.segments).toBeGreaterThanOrEqual(4);
    expect(clip.fromMs).toBeLessThanOrEqual(eventMs - BEFORE_MS);
    expect(clip.toMs).toBeGreaterThanOrEqual(eventMs + AFTER_MS);
    const playlist = await readFile(join(evidenceDir, 'index.m3u8'), 'utf8');
    expect(playlist).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(playlist).toContain('#EXT-X-TARGETDURATION:');
    expect(playlist.trimEnd().endsWith('#EXT-X-ENDLIST')).toBe(true);
    const kept = parseTimedPlaylist(playlist);
    expect(kept).toHaveLength(clip.segments);
    expect(kept.every((s, i) => i === 0 || s.startMs > kept[i - 1]!.startMs)).toBe(true);
  });

  it('still holds every segment after the live window deleted the originals', async () => {
    const hlsDir = manager.hlsDirOf(cameraId);
    const kept = parseTimedPlaylist(await readFile(join(evidenceDir, 'index.m3u8'), 'utf8'));
    // 12 s in the list, then 10 s more on disk (hls_delete_threshold): the oldest goes ~20 s after the event.
    await waitFor(() => !existsSync(join(hlsDir, kept[0]!.name)), 45_000, `ffmpeg to delete ${kept[0]!.name}`);
    for (const segment of kept) {
      const info = statSync(join(evidenceDir, segment.name));
      expect(info.size).toBeGreaterThan(10_000);
    }
    // The first one is now the evidence's alone (its only link).
    expect(statSync(join(evidenceDir, kept[0]!.name)).nlink).toBe(1);
    await manager.reconcile([]); // the camera's ffmpeg is not needed any more: leave the cores to Chromium
  });

  it('plays the kept clip with hls.js in headless Chromium', async () => {
    clipServer = await serveClip(evidenceDir);
    const address = clipServer.address() as { port: number };
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 960, height: 600 } });
    await page.goto(`http://127.0.0.1:${address.port}/`);
    await page.waitForFunction(() => document.querySelector('video')!.currentTime > 1, null, { timeout: 30_000 });
    const first = await page.evaluate(() => document.querySelector('video')!.currentTime);
    await page.waitForFunction((after) => document.querySelector('video')!.currentTime > after + 1, first, {
      timeout: 15_000,
    });
    const durationS = await page.evaluate(() => document.querySelector('video')!.duration);
    expect(durationS).toBeGreaterThanOrEqual(((clip.toMs - clip.fromMs) / 1000) * 0.8);
    expect(await page.evaluate(() => document.title)).not.toMatch(/^error/);
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'evidence-clip.png') });
    await page.close();
  });

  it('removes an expired clip folder by alert id, and refuses anything that is not one', async () => {
    await expect(removeExpiredEvidence(evidenceRoot, ['../etc'])).rejects.toMatchObject({
      code: 'IOC_VALIDATION_FAILED',
    });
    expect(await removeExpiredEvidence(evidenceRoot, [alertId, randomUUID()])).toBe(1);
    expect(existsSync(evidenceDir)).toBe(false);
  });
});

/** The clip folder, hls.js and a page that plays the clip, on a loopback port. */
async function serveClip(evidenceDir: string): Promise<Server> {
  const page = `<!doctype html><meta charset="utf-8"><title>clip</title>
<video muted playsinline style="width:960px;height:540px;background:#000"></video>
<script src="/hls.min.js"></script>
<script>
  const video = document.querySelector('video');
  const hls = new Hls();
  hls.on(Hls.Events.ERROR, (_event, data) => { if (data.fatal) document.title = 'error: ' + data.details; });
  hls.on(Hls.Events.MANIFEST_PARSED, () => video.play());
  hls.loadSource('/clip/index.m3u8');
  hls.attachMedia(video);
</script>`;
  const server = createServer((request, response) => {
    const url = request.url ?? '/';
    const send = (status: number, type: string, body: Buffer | string) => {
      response.writeHead(status, { 'content-type': type });
      response.end(body);
    };
    if (url === '/') return send(200, 'text/html', page);
    if (url === '/hls.min.js') return void readFile(HLS_JS).then((body) => send(200, 'text/javascript', body));
    const file = /^\/clip\/([A-Za-z0-9_-]+\.(m3u8|ts))$/.exec(url);
    if (!file) return send(404, 'text/plain', 'not found');
    const type = file[2] === 'm3u8' ? 'application/vnd.apple.mpegurl' : 'video/mp2t';
    readFile(join(evidenceDir, file[1]!)).then(
      (body) => send(200, type, body),
      () => send(404, 'text/plain', 'not found'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
