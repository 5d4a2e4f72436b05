// The foundation end to end: a camera added through the API is ingested from a real RTSP server and
// played on the wall in headless Chromium; disabling it stops its ffmpeg; secrets never leak.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startRtspServer, type RtspServer } from '../../../harness/rtspServer.ts';
import { childProcessPids } from '../../support/media.ts';
import { ARTIFACTS_DIR, launchBrowser } from '../../support/browser.ts';
import { startSystem, waitFor, type SystemUnderTest } from '../../support/systemHarness.ts';

const PASSWORD = 'Pa55-w0rd.Hn';

describe('live camera through the whole system', () => {
  let rtsp: RtspServer;
  let system: SystemUnderTest;
  let browser: Browser;
  let cameraId: string;

  beforeAll(async () => {
    system = await startSystem();
    const clip = resolve(system.config.assetsDir, 'video/vn_traffic.mp4');
    rtsp = await startRtspServer({ mounts: { hanoi: clip } });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await system?.close();
    await rtsp?.stop();
  });

  it('starts streaming a camera added through the API, without restarting anything', async () => {
    const created = await system.request('POST', '/api/cameras', {
      name: 'Ngã tư Hà Nội',
      mainUrl: rtsp.url('hanoi', { user: 'admin', password: PASSWORD }),
      district: 'Hoàn Kiếm',
      sampleFps: 2,
    });
    expect(created.status).toBe(201);
    cameraId = created.json.id;
    const live = await waitFor(
      'the camera to be live',
      async () => {
        const camera = (await system.request('GET', `/api/cameras/${cameraId}`)).json;
        return camera.health.state === 'live' ? camera : null;
      },
      20_000,
    );
    expect(live.health.hlsMode).toBe('copy');
    const playlist = await waitFor(
      'a playlist with segments',
      async () => {
        const response = await system.request('GET', `/hls/${cameraId}/index.m3u8`);
        return response.status === 200 && response.text.includes('.ts') ? response.text : null;
      },
      15_000,
    );
    expect(playlist).toContain('#EXTM3U');
  });

  it('plays the camera on the wall in headless Chromium', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await system.authenticate(page);
    await page.goto(`${system.api.url}/`);
    const tile = page.locator(`figure.tile[data-camera-id="${cameraId}"]`);
    await tile.waitFor({ timeout: 10_000 });
    await page.waitForFunction(
      (id) => {
        const video = document.querySelector(`figure.tile[data-camera-id="${id}"] video`) as HTMLVideoElement | null;
        return video !== null && video.currentTime > 1.5;
      },
      cameraId,
      { timeout: 30_000 },
    );
    const first = await tile.locator('video').evaluate((v: HTMLVideoElement) => v.currentTime);
    await page.waitForFunction(
      ({ id, after }) => {
        const video = document.querySelector(`figure.tile[data-camera-id="${id}"] video`) as HTMLVideoElement;
        return video.currentTime > after + 1;
      },
      { id: cameraId, after: first },
      { timeout: 15_000 },
    );
    expect(await tile.getAttribute('data-state')).toBe('live');
    expect(await tile.locator('.tile-state').textContent()).toContain('Trực tiếp');
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'wall.png') });
    await page.close();
  });

  it('saves a counting line drawn with the mouse on the setup page', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await system.authenticate(page);
    await page.goto(`${system.api.url}/setup.html?camera=${cameraId}`);
    const canvas = page.locator('#frame');
    // The still of the live view sets the canvas to the camera's own resolution.
    await page.waitForFunction(() => (document.getElementById('frame') as HTMLCanvasElement).width === 1920, null, {
      timeout: 15_000,
    });
    await page.locator('#draw-line').click();
    const box = (await canvas.boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.25, box.y + box.height * 0.5);
    await page.mouse.click(box.x + box.width * 0.9, box.y + box.height * 0.5);
    await page.locator('#finish').click();
    await page.locator('#lines input').first().fill('Vạch Hàng Bài');
    await page.locator('#lines input').first().dispatchEvent('change');
    await page.locator('#save').click();
    await page.locator('#message', { hasText: 'Đã lưu' }).waitFor({ timeout: 5_000 });
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'setup.png') });
    await page.close();

    const saved = (await system.request('GET', `/api/cameras/${cameraId}/analysis`)).json;
    expect(saved.widthPx).toBe(1920);
    expect(saved.lines).toHaveLength(1);
    const [start, end] = saved.lines[0].points;
    expect(saved.lines[0].name).toBe('Vạch Hàng Bài');
    expect(start.x).toBeGreaterThan(400);
    expect(start.x).toBeLessThan(560);
    expect(end.x).toBeGreaterThan(1650);
    expect(Math.abs(start.y - 540)).toBeLessThan(20);
  });

  it('stops the camera ffmpeg within 5 s of disabling it', async () => {
    expect(childProcessPids('ffmpeg').length).toBe(1);
    const started = Date.now();
    const patched = await system.request('PATCH', `/api/cameras/${cameraId}`, { enabled: false });
    expect(patched.status).toBe(200);
    await waitFor('ffmpeg to exit', async () => childProcessPids('ffmpeg').length === 0, 5_000, 100);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('hands a URL full of shell metacharacters to ffmpeg as one argument, never to a shell', async () => {
    const marker = `/tmp/ioc-shell-marker-${process.pid}-${Date.now()}`;
    const url = `rtsp://127.0.0.1:${rtsp.port}/x;touch${'$'}{IFS}${marker};$(touch${'$'}{IFS}${marker})\`touch${'$'}{IFS}${marker}\`|touch${'$'}{IFS}${marker}&`;
    const created = await system.request('POST', '/api/cameras', {
      name: 'Hostile URL',
      mainUrl: url,
      district: 'Ba Đình',
    });
    expect(created.status).toBe(201);
    await waitFor(
      'ffmpeg to try the hostile URL',
      async () => {
        for (const pid of childProcessPids('ffmpeg')) {
          const { readFileSync } = await import('node:fs');
          const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
          if (args.includes(url)) return true;
        }
        return system.logs.text().includes('/x;touch') ? true : null;
      },
      15_000,
      100,
    );
    expect(existsSync(marker)).toBe(false);
    await system.request('DELETE', `/api/cameras/${created.json.id}`);
  });

  it('never puts the camera password in a response or a log line', async () => {
    const listed = await system.request('GET', '/api/cameras');
    expect(listed.text).not.toContain(PASSWORD);
    expect(listed.text).toContain('***:***@');
    await writeFile(join(ARTIFACTS_DIR, 'live-camera.log'), system.logs.text());
    expect(system.logs.lines.length).toBeGreaterThan(10);
    expect(system.logs.text()).not.toContain(PASSWORD);
    expect(system.logs.text()).not.toContain(encodeURIComponent(PASSWORD));
  });
});
