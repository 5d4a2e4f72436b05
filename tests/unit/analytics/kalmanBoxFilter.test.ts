// The box filter's size: a detector that boxes a rider with the bike in one frame and without it in the
// next must not teach the filter a shrink that collapses the box while the track coasts.
import { describe, expect, it } from 'vitest';
import { KalmanBoxFilter } from '../../../analytics/kalmanBoxFilter.ts';

describe('KalmanBoxFilter', () => {
  it('keeps a coasting box a plausible size after a detector jump in box height', () => {
    const filter = new KalmanBoxFilter([600, 300, 650, 420]);
    for (const [y1, y2] of [
      [290, 410],
      [280, 400],
      [270, 330],
      [260, 320],
    ] as const) {
      filter.predict(0.2);
      filter.update([600, y1, 650, y2]);
    }
    const seenHeightPx = filter.box()[3] - filter.box()[1];
    for (let i = 0; i < 3; i++) filter.predict(0.2);
    const [, top, , bottom] = filter.box();
    // Three missed frames at 5 fps: the box may shrink, by at most 0.8 of its size a second.
    expect(bottom - top).toBeGreaterThanOrEqual(seenHeightPx * (1 - 0.8 * 0.6) - 1e-6);
  });

  it('predicts a receding motorbike slowing in the image as its box shrinks (perspective)', () => {
    // Riding away up the image: 60 px a frame at 5 fps while its box shrinks by a tenth a frame.
    const filter = new KalmanBoxFilter([400, 300, 450, 400]);
    let height = 100;
    let bottom = 400;
    for (let i = 0; i < 6; i++) {
      filter.predict(0.2);
      bottom -= 60 * (height / 100);
      height *= 0.9;
      filter.update([400, bottom - height, 400 + height / 2, bottom]);
    }
    const velocityBefore = filter.velocityPxPerS().y;
    filter.predict(0.2);
    expect(filter.velocityPxPerS().y).toBeGreaterThan(velocityBefore);
    expect(filter.velocityPxPerS().y).toBeLessThan(0);
  });

  it('predicts a box of steady size at constant velocity', () => {
    const filter = new KalmanBoxFilter([100, 100, 150, 150]);
    for (let i = 1; i <= 6; i++) {
      filter.predict(0.2);
      filter.update([100 + 20 * i, 100, 150 + 20 * i, 150]);
    }
    const { x } = filter.velocityPxPerS();
    const centreBefore = filter.mean[0]!;
    filter.predict(0.2);
    expect(filter.velocityPxPerS().x).toBeCloseTo(x, 6);
    expect(filter.mean[0]! - centreBefore).toBeCloseTo(0.2 * x, 6);
  });

  it('still follows a box that really grows as its vehicle comes closer', () => {
    const filter = new KalmanBoxFilter([500, 100, 540, 130]);
    for (let i = 1; i <= 10; i++) {
      filter.predict(0.1);
      filter.update([500 - i, 100 + 5 * i, 540 + i, 130 + 7 * i]);
    }
    const [x1, y1, x2, y2] = filter.box();
    expect(x2 - x1).toBeGreaterThan(55);
    expect(y2 - y1).toBeGreaterThan(45);
  });
});
