// Alerts end to end on live cameras: real GStreamer RTSP server, ingest, a YOLOX-Nano worker and the
// analyzer beside the API. A camera that goes away raises "offline" and resolves when back; a source that
// repeats one frame raises "frozen"; an intrusion's snapshot is a JPEG with its box and its clip plays.
import { resolve } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createLogger } from '../../../core/logger.ts';
import type { Alert } from '../../../core/alerts.ts';
import { startInferenceWorker } from '../../../inference/worker.ts';
import { startAnalyzerProcess, type AnalyzerProcess } from '../../../analyzer/process.ts';
import { BOX_COLOUR } from '../../../alerts/snapshotRenderer.ts';
import { startRtspServer, type RtspServer } from '../../../harness/rtspServer.ts';
import { ARTIFACTS_DIR, launchBrowser } from '../../support/browser.ts';
import { startSystem, waitFor, type SystemUnderTest } from '../../support/systemHarness.ts';

describe('alerts on live cameras', () => {
  let rtsp: RtspServer;
  let system: SystemUnderTest;
  let worker: { close(): Promise<void> };
  let analyzer: AnalyzerProcess;
  let browser: Browser | undefined;

  beforeAll(async () => {
    system = await startSystem({
      analyzer: { cameraListIntervalMs: 500, analysisRefreshMs: 1000 },
      alerts: { healthPollMs: 500 },
    });
    const clip = resolve(system.config.assetsDir, 'video/vn_traffic.mp4');
    rtsp = await startRtspServer({ mounts: { hanoi: clip, frozen: `${clip}:frozen` } });
    const logger = createLogger({ level: 'warn' });
    worker = await startInferenceWorker(system.config, logger);
    analyzer = await startAnalyzerProcess(system.config, logger);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await analyzer?.close();
    await worker?.close();
    await system?.close();
    await rtsp?.stop();
  });

  async function addCamera(name: string, mount: string): Promise<string> {
    const created = await system.request('POST', '/api/cameras', {
      name,
      mainUrl: rtsp.url(mount),
      district: 'Hoàn Kiếm',
      sampleFps: 2,
    });
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    await waitFor(
      `${name} live`,
      async () => (await system.request('GET', `/api/cameras/${id}`)).json.health?.state === 'live',
      30_000,
    );
    return id;
  }

  async function alertsOf(cameraId: string, type: string): Promise<Alert[]> {
    const answer = await system.request('GET', `/api/alerts?cameraId=${cameraId}&type=${type}`);
    expect(answer.status).toBe(200);
    return answer.json.items as Alert[];
  }

  it('raises camera-offline within 15 s of the source stopping, and resolves it when the camera is back', async () => {
    const cameraId = await addCamera('Ngã tư mất tín hiệu', 'hanoi');
    await rtsp.kill();
    const killedAtMs = Date.now();
    const [offline] = await waitFor(
      'an offline alert',
      async () => {
        const alerts = await alertsOf(cameraId, 'cameraOffline');
        return alerts.length > 0 ? alerts : null;
      },
      20_000,
      250,
    );
    const raisedAfterMs = Date.now() - killedAtMs;
    expect(raisedAfterMs).toBeLessThanOrEqual(15_000);
    expect(offline!.active).toBe(true);
    expect(offline!.state).toBe('new');

    await rtsp.restart();
    const resolved = await waitFor(
      'the offline alert resolved',
      async () => {
        const [alert] = await alertsOf(cameraId, 'cameraOffline');
        return alert && !alert.active && alert.state === 'resolved' ? alert : null;
      },
      40_000,
      500,
    );
    expect(resolved.id).toBe(offline!.id);
    // One outage, one alert.
    expect(await alertsOf(cameraId, 'cameraOffline')).toHaveLength(1);
    await system.request('PATCH', `/api/cameras/${cameraId}`, { enabled: false });
  }, 120_000);

  it('raises "frozen" for a source that repeats one frame', async () => {
    const cameraId = await addCamera('Camera đứng hình', 'frozen');
    const rules = await system.request('PUT', `/api/cameras/${cameraId}/alert-rules`, {
      rules: [{ id: 'camera-frozen', type: 'cameraFrozen', minDurationS: 5 }],
    });
    expect(rules.status).toBe(200);
    const [frozen] = await waitFor(
      'a frozen alert',
      async () => {
        const alerts = await alertsOf(cameraId, 'cameraFrozen');
        return alerts.length > 0 ? alerts : null;
      },
      45_000,
      500,
    );
    expect(frozen!.subject).toBe('camera');
    expect(frozen!.active).toBe(true);
    await system.request('PATCH', `/api/cameras/${cameraId}`, { enabled: false });
  }, 90_000);

  it("keeps an intrusion's snapshot (a JPEG with the box drawn) and a clip that plays in Chromium", async () => {
    const cameraId = await addCamera('Khu vực cấm', 'hanoi');
    // The lower half of the intersection as a restricted zone: the clip's cars drive through it.
    await system.request('PUT', `/api/cameras/${cameraId}/analysis`, {
      widthPx: 1920,
      heightPx: 1080,
      lines: [],
      zones: [
        {
          id: 'cam',
          polygon: [
            { x: 0, y: 540 },
            { x: 1920, y: 540 },
            { x: 1920, y: 1080 },
            { x: 0, y: 1080 },
          ],
        },
      ],
      calibration: null,
    });
    const rules = await system.request('PUT', `/api/cameras/${cameraId}/alert-rules`, {
      rules: [{ id: 'xam-nhap', type: 'intrusion', zoneId: 'cam', classes: ['car', 'bus', 'truck'] }],
    });
    expect(rules.status).toBe(200);
    const withSnapshot = await waitFor(
      'an intrusion with its snapshot',
      async () => {
        const alerts = await alertsOf(cameraId, 'intrusion');
        return alerts.find((a) => a.hasSnapshot) ?? null;
      },
      60_000,
      500,
    );

    const snapshot = await fetch(`${system.api.url}/api/alerts/${withSnapshot.id}/snapshot.jpg`, {
      headers: { authorization: `Bearer ${system.adminToken}` },
    });
    expect(snapshot.status).toBe(200);
    expect(snapshot.headers.get('content-type')).toContain('image/jpeg');
    const jpeg = Buffer.from(await snapshot.arrayBuffer());
    const image = sharp(jpeg);
    expect((await image.metadata()).format).toBe('jpeg');
    // The box is drawn in its colour: some pixels are close to it (JPEG blurs the exact value).
    const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
    let boxPixels = 0;
    for (let i = 0; i < data.length; i += info.channels) {
      if (
        Math.abs(data[i]! - BOX_COLOUR.r) < 40 &&
        Math.abs(data[i + 1]! - BOX_COLOUR.g) < 40 &&
        Math.abs(data[i + 2]! - BOX_COLOUR.b) < 40
      )
        boxPixels += 1;
    }
    expect(boxPixels).toBeGreaterThan(100);

    const ready = await waitFor(
      'the clip kept',
      async () => {
        const [alert] = (await alertsOf(cameraId, 'intrusion')).filter((a) => a.id === withSnapshot.id);
        return alert?.clipState === 'ready' ? alert : null;
      },
      60_000,
      1000,
    );
    const playlist = await system.request('GET', `/api/alerts/${ready.id}/clip/index.m3u8`);
    expect(playlist.status).toBe(200);
    expect(playlist.text).toContain('#EXT-X-ENDLIST');

    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 960, height: 540 } });
    await system.authenticate(page);
    await page.goto(`${system.api.url}/login.html`);
    await page.setContent(`<!doctype html><html><body><video id="v" muted playsinline width="960"></video>
      <script src="${system.api.url}/vendor/hls/hls.min.js"></script>
      <script>const hls = new Hls(); hls.loadSource('${system.api.url}/api/alerts/${ready.id}/clip/index.m3u8'); hls.attachMedia(document.getElementById('v')); document.getElementById('v').play();</script></body></html>`);
    await page.waitForFunction(() => (document.getElementById('v') as HTMLVideoElement).currentTime > 1, undefined, {
      timeout: 20_000,
    });
    await page.screenshot({ path: resolve(ARTIFACTS_DIR, 'alert-clip.png') });
  }, 150_000);
});
