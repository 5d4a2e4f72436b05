import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { alertMessage, langOf } from '../../../core/alertMessage.ts';
import { directionName } from '../../../alerts/alertFacts.ts';
import { captionSnapshot } from '../../../alerts/snapshotCaption.ts';
import { webhookPayload } from '../../../store/alertOutbox.ts';
import type { Alert } from '../../../core/alerts.ts';
import { ANALYSIS, feed, newEngine, person, route, runPipeline } from './alertScene.ts';

const WRONG_WAY = {
  type: 'wrongWay' as const,
  details: {
    lineId: 'ngang-duong',
    lineName: 'Vạch ngang đường',
    trackId: 1652,
    className: 'motorbike',
    direction: 've-phia-camera',
    directionName: 'về phía camera',
    speedKmh: 21.5,
  },
};

describe('alert messages from facts', () => {
  it('renders a wrong-way crossing in Vietnamese by default and in English on request, with names, not ids or slugs', () => {
    expect(alertMessage(WRONG_WAY)).toBe(
      'Xe máy #1652 đi ngược chiều qua Vạch ngang đường (về phía camera, 21,5 km/h)',
    );
    expect(alertMessage(WRONG_WAY, 'en')).toBe(
      'Motorbike #1652 crossed Vạch ngang đường the wrong way (về phía camera, 21.5 km/h)',
    );
  });

  it('calls a vehicle whose sightings did not agree on a class "phương tiện", never a class one box gave', () => {
    expect(alertMessage({ ...WRONG_WAY, details: { ...WRONG_WAY.details, className: null } })).toMatch(
      /^Phương tiện #1652 /,
    );
    expect(alertMessage({ ...WRONG_WAY, details: { ...WRONG_WAY.details, className: null } }, 'en')).toMatch(
      /^Vehicle #1652 /,
    );
  });

  it('keeps an alert stored before facts carried names readable: ids, and the slug as words', () => {
    const old = {
      type: 'wrongWay' as const,
      details: { lineId: 'ngang-duong', trackId: 1652, className: 'car', direction: 've-phia-camera', speedKmh: null },
    };
    expect(alertMessage(old)).toBe('Ô tô #1652 đi ngược chiều qua ngang-duong (ve phia camera)');
    expect(
      alertMessage(
        { type: 'stoppedVehicle', details: { zoneId: 'road', trackId: 3, className: 'car', stoppedS: 61.2 } },
        'en',
      ),
    ).toBe('Car #3 stopped in road for 61 s');
  });

  it('renders every type in both languages', () => {
    for (const lang of ['vi', 'en'] as const) {
      expect(
        alertMessage(
          { type: 'intrusion', details: { zoneId: 'z', zoneName: 'Kho', trackId: 4, className: 'person' } },
          lang,
        ),
      ).toMatch(lang === 'vi' ? /^Người #4 vào khu vực cấm Kho$/ : /^Person #4 in restricted zone Kho$/);
      for (const type of [
        'crowd',
        'congestion',
        'cameraOffline',
        'cameraFrozen',
        'cameraBlack',
        'cameraViewChanged',
      ] as const) {
        expect(
          alertMessage(
            { type, details: { zoneId: 'z', zoneName: 'Chợ', people: 9, level: 3, vehicles: 12, offlineS: 30 } },
            lang,
          ).length,
        ).toBeGreaterThan(5);
      }
    }
    expect(langOf('en')).toBe('en');
    expect(langOf('en-GB,en;q=0.9')).toBe('en');
    expect(langOf('fr')).toBe('vi');
    expect(langOf(undefined)).toBe('vi');
  });

  it("names a direction by the line's display name, else by its identifier in words", () => {
    const line = {
      id: 'l',
      points: [],
      directions: { leftToRight: 've-phia-camera', rightToLeft: 'di-xa' },
      directionNames: { leftToRight: 'về phía camera' },
    };
    expect(directionName(line, 've-phia-camera')).toBe('về phía camera');
    expect(directionName(line, 'di-xa')).toBe('di xa');
  });

  it('stores the names of the zone in the facts of every rule (a crowd too)', () => {
    const named = {
      ...ANALYSIS,
      zones: ANALYSIS.zones.map((z) => (z.id === 'giao-lo' ? { ...z, name: 'Giao lộ' } : z)),
    };
    const crowd = Array.from({ length: 7 }, (_, i) => person(route([0, 40 + i * 40, 120], [20, 40 + i * 40, 120])));
    const signals = feed(
      newEngine([{ id: 'dam-dong', type: 'crowd', zoneId: 'giao-lo', minPeople: 6, minDurationS: 2 }], named),
      runPipeline(crowd, { durationS: 10, fps: 2, analysis: named }),
    );
    expect(signals[0]!.details).toMatchObject({ zoneId: 'giao-lo', zoneName: 'Giao lộ' });
    expect(alertMessage(signals[0]!)).toBe('Tụ tập 7 người trong Giao lộ');
  });

  it('gives a webhook the sentence in both languages beside the alert', () => {
    const alert = { ...WRONG_WAY, id: 'a', message: alertMessage(WRONG_WAY) } as unknown as Alert;
    expect(webhookPayload('raised', alert)).toEqual({
      event: 'raised',
      alert,
      messages: {
        vi: 'Xe máy #1652 đi ngược chiều qua Vạch ngang đường (về phía camera, 21,5 km/h)',
        en: 'Motorbike #1652 crossed Vạch ngang đường the wrong way (về phía camera, 21.5 km/h)',
      },
    });
  });

  it('captions a snapshot at its bottom without changing its size', async () => {
    const plain = await sharp({
      create: { width: 320, height: 180, channels: 3, background: { r: 200, g: 200, b: 200 } },
    })
      .jpeg()
      .toBuffer();
    const captioned = await captionSnapshot(plain, alertMessage(WRONG_WAY));
    const meta = await sharp(captioned).metadata();
    expect([meta.width, meta.height, meta.format]).toEqual([320, 180, 'jpeg']);
    const { data } = await sharp(captioned).raw().toBuffer({ resolveWithObject: true });
    // The band darkens the bottom row; the top row is untouched.
    expect(data[(179 * 320 + 300) * 3]!).toBeLessThan(100);
    expect(data[(2 * 320 + 10) * 3]!).toBeGreaterThan(180);
  });
});
