// Every alert type read in headless Chromium as a duty officer reads it, in Vietnamese and with ?lang=en:
// the console's sentence (player/alertMessage.js) is the API's message and the webhook's (core/alertMessage.ts)
// word for word, names lines and zones by their names, never by id or slug, and writes figures the reader's way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { alertMessage, type AlertLang } from '../../../core/alertMessage.ts';
import type { Alert, AlertMessage, AlertSignal, AlertType } from '../../../core/alerts.ts';
import { redisChannels } from '../../../core/redis.ts';
import { AlertStore, type SignalCamera } from '../../../store/alerts.ts';
import { webhookPayload } from '../../../store/alertOutbox.ts';
import { launchBrowser } from '../../support/browser.ts';
import { createTestApp, type Session, type TestApp } from '../../support/testApp.ts';

const DISTRICT = 'Hoàn Kiếm';

type Facts = Record<string, string | number | null>;

/** One alert of each type with the facts its rule stores (ids beside names, as the analyzer writes them). */
const CASES: { type: AlertType; details: Facts; vi: RegExp; en: RegExp }[] = [
  {
    type: 'wrongWay',
    details: {
      lineId: 'ngang-duong',
      lineName: 'Vạch Tràng Tiền',
      trackId: 41,
      className: 'motorbike',
      direction: 've-phia-camera',
      directionName: 'về phía camera',
      speedKmh: 21.5,
    },
    vi: /^Xe máy #41 đi ngược chiều qua Vạch Tràng Tiền \(về phía camera, 21,5 km\/h\)$/,
    en: /^Motorbike #41 crossed Vạch Tràng Tiền the wrong way \(về phía camera, 21\.5 km\/h\)$/,
  },
  {
    type: 'wrongWay',
    details: {
      zoneId: 'lan-phai',
      zoneName: 'Làn phải',
      trackId: 42,
      className: 'car',
      againstDistance: 12.5,
      distanceUnit: 'm',
    },
    vi: /^Ô tô #42 đi ngược chiều làn trong Làn phải \(12,5 m\)$/,
    en: /^Car #42 moving against the lane in Làn phải \(12\.5 m\)$/,
  },
  {
    type: 'intrusion',
    details: { zoneId: 'via-he', zoneName: 'Vỉa hè', trackId: 43, className: 'person' },
    vi: /^Người #43 vào khu vực cấm Vỉa hè$/,
    en: /^Person #43 in restricted zone Vỉa hè$/,
  },
  {
    type: 'stoppedVehicle',
    details: { zoneId: 'cam-dung', zoneName: 'Cấm dừng đỗ', trackId: 44, className: null, stoppedS: 75.4 },
    vi: /^Phương tiện #44 dừng trong Cấm dừng đỗ 75 giây$/,
    en: /^Vehicle #44 stopped in Cấm dừng đỗ for 75 s$/,
  },
  {
    type: 'crowd',
    details: { zoneId: 'quang-truong', zoneName: 'Quảng trường', people: 23 },
    vi: /^Tụ tập 23 người trong Quảng trường$/,
    en: /^Crowd of 23 people in Quảng trường$/,
  },
  {
    type: 'congestion',
    details: { zoneId: 'giao-lo', zoneName: 'Giao lộ', level: 4, vehicles: 31 },
    vi: /^Ùn tắc mức 4 trong Giao lộ: 31 phương tiện$/,
    en: /^Congestion level 4 in Giao lộ: 31 vehicles$/,
  },
  {
    type: 'cameraOffline',
    details: { offlineS: 30 },
    vi: /^Camera mất tín hiệu 30 giây$/,
    en: /^Camera offline for 30 s$/,
  },
  { type: 'cameraFrozen', details: {}, vi: /^Hình ảnh camera bị đứng$/, en: /^Camera image frozen$/ },
  {
    type: 'cameraBlack',
    details: {},
    vi: /^Hình ảnh camera tối đen hoặc bị che$/,
    en: /^Camera image black or covered$/,
  },
  { type: 'cameraViewChanged', details: {}, vi: /^Góc nhìn camera bị thay đổi$/, en: /^Camera view changed$/ },
];

describe('alert sentences in both languages', () => {
  let t: TestApp;
  let browser: Browser;
  let address: string;
  let police: Session;
  const raised: { id: string; alert: Alert; expected: (typeof CASES)[number] }[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    address = await t.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/cameras',
      headers: t.admin,
      payload: {
        name: 'Ngã tư Tràng Tiền',
        mainUrl: 'rtsp://127.0.0.1:9/trangtien',
        district: DISTRICT,
        enabled: false,
      },
    });
    expect(created.statusCode).toBe(201);
    const camera: SignalCamera = { id: created.json().id, name: 'Ngã tư Tràng Tiền', district: DISTRICT };
    police = await t.loginAs('police', [DISTRICT]);
    const store = new AlertStore(t.db.pool);
    const nowMs = Date.now();
    for (const [index, expected] of CASES.entries()) {
      const signal: AlertSignal = {
        kind: 'raise',
        key: `${camera.id}:${expected.type}-${index}:s${index}:${nowMs}`,
        cameraId: camera.id,
        ruleId: `${expected.type}-${index}`,
        type: expected.type,
        severity: 'warning',
        subject: `s${index}`,
        startedAtMs: nowMs - 2000 - index,
        atMs: nowMs - index,
        summary: `${expected.type} (engine summary)`,
        details: expected.details,
      };
      const changes = await store.applySignals(camera, [signal]);
      expect(changes.map((c) => c.event)).toEqual(['raised']);
      for (const change of changes) {
        const message: AlertMessage = { type: 'alert', event: change.event, alert: change.alert };
        await t.redis.publish(redisChannels.alerts(t.redisPrefix), JSON.stringify(message));
      }
      raised.push({ id: changes[0]!.alert.id, alert: changes[0]!.alert, expected });
    }
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function openConsole(lang: AlertLang): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.addCookies([
      { name: 'ioc_session', value: police.token, url: address, httpOnly: true, sameSite: 'Strict' },
    ]);
    const page = await context.newPage();
    await page.goto(`${address}/alerts.html${lang === 'en' ? '?lang=en' : ''}`);
    await page.locator('body[data-loaded="true"]').waitFor({ timeout: 10_000 });
    return page;
  }

  for (const lang of ['vi', 'en'] as const) {
    it(`shows each type's facts as the same ${lang} sentence in the console, the API and the webhook body`, async () => {
      const page = await openConsole(lang);
      const listed = await t.app.inject({
        method: 'GET',
        url: `/api/alerts?limit=50${lang === 'en' ? '&lang=en' : ''}`,
        headers: police.headers,
      });
      expect(listed.statusCode).toBe(200);
      const apiMessages = new Map<string, string>(
        (listed.json().items as { id: string; message: string }[]).map((a) => [a.id, a.message]),
      );

      for (const { id, alert, expected } of raised) {
        await page.locator(`#alert-list li[data-alert-id="${id}"]`).click();
        await page.locator(`#detail[data-alert-id="${id}"] #detail-title`).waitFor({ timeout: 5000 });
        const summary = page.locator('#detail-summary');
        expect(await summary.getAttribute('lang')).toBe(lang);
        const shown = (await summary.textContent()) ?? '';
        expect(shown, `${expected.type} in the console`).toMatch(expected[lang]);
        expect(apiMessages.get(id), `${expected.type} from the API`).toBe(shown);
        expect(webhookPayload('raised', alert).messages[lang], `${expected.type} in the webhook body`).toBe(shown);
        expect(alertMessage(alert, lang)).toBe(shown);
        // Names, never the ids or slugs stored beside them.
        for (const id of [alert.details.lineId, alert.details.zoneId, alert.details.direction]) {
          if (typeof id === 'string') expect(shown).not.toContain(id);
        }
      }
      await page.context().close();
    });
  }
});
