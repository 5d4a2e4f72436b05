import { describe, expect, it } from 'vitest';
import type { AlertRule } from '../../../core/alerts.ts';
import type { CameraAnalysis } from '../../../core/cameraAnalysis.ts';
import {
  ANALYSIS,
  feed,
  newEngine,
  person,
  route,
  runPipeline,
  sceneS,
  START_MS,
  timeline,
  vehicle,
} from './alertScene.ts';

describe('intrusion rule', () => {
  const rule: AlertRule = {
    id: 'xam-nhap',
    type: 'intrusion',
    zoneId: 'restricted',
    classes: ['person'],
    minDurationS: 1,
  };

  it('raises per track after minDurationS inside and ends each when it leaves, ignoring other classes', () => {
    const actors = [
      person(route([0, 350, 100], [5, 500, 100], [12, 500, 100], [17, 350, 100])), // walks in, stays, walks out
      person(route([3, 600, 150], [20, 600, 150])), // stands inside until it vanishes
      vehicle('motorbike', route([0, 420, 60], [20, 420, 60])), // a motorbike parked inside: not watched
    ];
    const signals = feed(newEngine([rule]), runPipeline(actors, { durationS: 25, fps: 5 }));
    const subjects = [...new Set(signals.map((s) => s.subject))];
    expect(subjects).toHaveLength(2);
    expect(subjects.every((s) => /^zone:restricted:track:\d+$/.test(s))).toBe(true);
    expect(signals.map((s) => s.kind)).toEqual(['raise', 'raise', 'end', 'end']);
    const [walker, stander] = [signals[0]!, signals[1]!];
    expect(walker).toMatchObject({
      type: 'intrusion',
      severity: 'critical',
      details: { zoneId: 'restricted', className: 'person' },
    });
    expect(walker.summary).toMatch(/^Person #\d+ in restricted zone restricted$/);
    expect(walker.evidence!.boxes).toEqual([
      expect.objectContaining({ label: `person #${walker.details.trackId}`, trackId: walker.details.trackId }),
    ]);
    // At 30 px/s the anchor crosses x = 400 at 1.67 s, first seen inside at 1.8 s: raised 1 s later, keyed by the entry.
    expect(sceneS(walker.startedAtMs)).toBeCloseTo(1.8, 5);
    expect(walker.atMs - walker.startedAtMs).toBe(1000);
    expect(walker.key).toBe(`cam:xam-nhap:${walker.subject}:${walker.startedAtMs}`);
    expect(sceneS(stander.startedAtMs)).toBe(3);
    // The walker is back out at ~15.3 s; the stander's track dies 2 s after it vanished at 20 s.
    expect(signals[2]).toMatchObject({ key: walker.key });
    expect(sceneS(signals[2]!.atMs)).toBeCloseTo(15.4, 5);
    expect(signals[3]).toMatchObject({ key: stander.key });
    expect(sceneS(signals[3]!.atMs)).toBeCloseTo(22.2, 5);
  });

  it('does not raise for a person cutting the corner of the zone in less than minDurationS', () => {
    const cutting = person(route([0, 380, 150], [3, 440, 250])); // inside from ~1.1 s to ~2.1 s
    const steps = runPipeline([cutting], { durationS: 6, fps: 5 });
    expect(feed(newEngine([{ ...rule, minDurationS: 2 }]), steps)).toEqual([]);
    expect(feed(newEngine([{ ...rule, minDurationS: 0.5 }]), steps).map((s) => s.kind)).toEqual(['raise', 'end']);
  });
});

describe('wrongWay rule, line mode', () => {
  const actors = [
    vehicle('motorbike', route([0, 200, 100], [4, 200, 400])), // down the image: 'south'
    vehicle('car', route([0, 450, 420], [4, 450, 80])), // up the image: 'north'
    person(route([0, 320, 420], [6, 320, 100])), // a pedestrian walking north: not a vehicle
  ];
  const steps = runPipeline(actors, { durationS: 8, fps: 5 });

  it('fires only for the forbidden direction, raising and ending in the same frame', () => {
    const signals = feed(
      newEngine([{ id: 'mot-chieu', type: 'wrongWay', lineId: 'one-way', forbiddenDirection: 'north' }]),
      steps,
    );
    expect(signals.map((s) => [s.kind, s.details.className, s.details.direction])).toEqual([
      ['raise', 'car', 'north'],
      ['end', 'car', 'north'],
    ]);
    const [raise, end] = signals;
    expect(raise!.subject).toMatch(/^line:one-way:track:\d+$/);
    expect(raise!.atMs).toBe(end!.atMs);
    expect(end!.key).toBe(raise!.key);
    expect(raise!.summary).toMatch(/^Car #\d+ crossed line one-way the wrong way \(north\)$/);
    expect(raise!.evidence).toMatchObject({
      lineId: 'one-way',
      zoneId: null,
      boxes: [expect.objectContaining({ label: `car #${raise!.details.trackId}` })],
    });
  });

  it('fires for the other vehicles when the forbidden direction is reversed, and for people only when asked', () => {
    const reversed = feed(
      newEngine([{ id: 'mot-chieu', type: 'wrongWay', lineId: 'one-way', forbiddenDirection: 'south' }]),
      steps,
    );
    expect(reversed.map((s) => [s.kind, s.details.className])).toEqual([
      ['raise', 'motorbike'],
      ['end', 'motorbike'],
    ]);
    const people = feed(
      newEngine([
        { id: 'mot-chieu', type: 'wrongWay', lineId: 'one-way', forbiddenDirection: 'north', classes: ['person'] },
      ]),
      steps,
    );
    expect(people.map((s) => [s.kind, s.details.className])).toEqual([
      ['raise', 'person'],
      ['end', 'person'],
    ]);
  });
});

describe('wrongWay rule, lane mode', () => {
  // Traffic on the road zone runs left to right; the lane is drawn on a still twice the analysed size.
  const drawnAt2x: CameraAnalysis = {
    ...ANALYSIS,
    widthPx: 1280,
    heightPx: 960,
    lines: ANALYSIS.lines.map((l) => ({ ...l, points: l.points.map((p) => ({ x: 2 * p.x, y: 2 * p.y })) })),
    zones: ANALYSIS.zones.map((z) => ({ ...z, polygon: z.polygon.map((p) => ({ x: 2 * p.x, y: 2 * p.y })) })),
  };
  const rule: AlertRule = {
    id: 'lan',
    type: 'wrongWay',
    zoneId: 'road',
    laneDirection: { from: { x: 100, y: 800 }, to: { x: 1100, y: 800 } },
    minDistanceM: 60,
  };

  it('raises for a vehicle moving against the lane by minDistance px (uncalibrated), per track, until it leaves', () => {
    const actors = [
      vehicle('motorbike', route([0, 50, 400], [6, 600, 400])), // with the lane
      vehicle('motorbike', route([0, 600, 350], [6, 50, 350])), // against it: 60 px after ~0.65 s, gone at 6 s
      vehicle('car', route([0, 300, 450], [6, 260, 450])), // creeping back 40 px: below the threshold
    ];
    const signals = feed(newEngine([rule], drawnAt2x), runPipeline(actors, { durationS: 10, fps: 5 }));
    expect(signals.map((s) => [s.kind, s.details.className])).toEqual([
      ['raise', 'motorbike'],
      ['end', 'motorbike'],
    ]);
    expect(signals[0]).toMatchObject({ details: { distanceUnit: 'px' }, evidence: { zoneId: 'road' } });
    expect(signals[0]!.subject).toMatch(/^zone:road:track:\d+$/);
    expect(signals[0]!.details.againstDistance).toBeGreaterThanOrEqual(60);
    expect(sceneS(signals[0]!.atMs)).toBeLessThan(1.5);
    expect(sceneS(signals[1]!.atMs)).toBeGreaterThan(6);
  });

  it('measures ground metres through the calibration when the camera has one', () => {
    // 1 px of the 1280-wide still is 2.5 cm on the ground: the analysed 640-px frame is 32 m wide.
    const calibrated: CameraAnalysis = {
      ...drawnAt2x,
      calibration: {
        imagePoints: [
          { x: 0, y: 0 },
          { x: 1280, y: 0 },
          { x: 1280, y: 960 },
          { x: 0, y: 960 },
        ],
        groundPoints: [
          { x: 0, y: 24 },
          { x: 32, y: 24 },
          { x: 32, y: 0 },
          { x: 0, y: 0 },
        ],
      },
    };
    const metres = { ...rule, minDistanceM: 5 }; // 100 px of the analysed frame
    const short = feed(
      newEngine([metres], calibrated),
      runPipeline([vehicle('car', route([0, 400, 400], [3, 320, 400]))], {
        durationS: 5,
        fps: 5,
        analysis: calibrated,
      }),
    );
    expect(short).toEqual([]);
    const long = feed(
      newEngine([metres], calibrated),
      runPipeline([vehicle('car', route([0, 500, 400], [3, 300, 400]))], {
        durationS: 8,
        fps: 5,
        analysis: calibrated,
      }),
    );
    expect(long.map((s) => s.kind)).toEqual(['raise', 'end']);
    expect(long[0]!.details).toMatchObject({ distanceUnit: 'm' });
    expect(long[0]!.details.againstDistance).toBeGreaterThanOrEqual(5);
    expect(long[0]!.details.againstDistance).toBeLessThan(7);
  });
});

describe('stoppedVehicle rule', () => {
  const rule: AlertRule = { id: 'dung-do', type: 'stoppedVehicle', zoneId: 'road', minStoppedS: 60 };
  /** Motorbikes riding along the road one after another from 0 s to untilS: traffic that moves past. */
  const passingTraffic = (untilS: number, y = 300) =>
    Array.from({ length: Math.ceil(untilS / 15) }, (_, k) =>
      vehicle('motorbike', route([k * 15, 630, y], [k * 15 + 20, 10, y])),
    );

  it('raises once for a vehicle still for minStoppedS and ends when it drives off', () => {
    const actors = [
      vehicle(
        'car',
        route(
          [0, 40, 400],
          [2, 200, 400],
          [4, 280, 400],
          [5, 300, 400],
          [70, 300, 400],
          [72, 330, 400],
          [74, 420, 400],
          [76, 600, 400],
        ),
      ), // slows, stops 65 s
      vehicle('motorbike', route([0, 600, 330], [20, 40, 330])), // keeps moving, slowly
      vehicle('car', route([5, 500, 440], [40, 500, 440])), // stopped 35 s only
      ...passingTraffic(80),
    ];
    const signals = feed(newEngine([rule]), runPipeline(actors, { durationS: 80, fps: 2 }));
    expect(timeline(signals).map(([kind, , t]) => [kind, t])).toEqual([
      ['raise', 67],
      ['end', 70.5],
    ]);
    const [raise, end] = signals;
    expect(raise).toMatchObject({
      type: 'stoppedVehicle',
      severity: 'warning',
      details: { zoneId: 'road', className: 'car', stoppedS: 60, speedKmh: null },
    });
    expect(raise!.summary).toMatch(/^Car #\d+ stopped in zone road for 60 s$/);
    // Stopped at 5 s, judged still once a whole 2 s window of sightings has not moved: 7 s.
    expect(raise!.startedAtMs).toBe(START_MS + 7000);
    expect(end).toMatchObject({ key: raise!.key, details: { endReason: 'cleared' } });
  });

  it('uses the ground speed when the camera is calibrated and maxSpeedKmh is set', () => {
    const calibrated: CameraAnalysis = {
      ...ANALYSIS,
      calibration: {
        imagePoints: [
          { x: 0, y: 0 },
          { x: 640, y: 0 },
          { x: 640, y: 480 },
          { x: 0, y: 480 },
        ],
        groundPoints: [
          { x: 0, y: 24 },
          { x: 32, y: 24 },
          { x: 32, y: 0 },
          { x: 0, y: 0 },
        ],
      },
    };
    // Crawling at 5 px/s = 0.25 m/s = 0.9 km/h: under 3 km/h is stopped, however far the box drifts.
    const crawler = vehicle('car', route([0, 100, 400], [30, 250, 400]));
    const steps = runPipeline([crawler, ...passingTraffic(35)], { durationS: 35, fps: 2, analysis: calibrated });
    const slow = feed(newEngine([{ ...rule, minStoppedS: 10, maxSpeedKmh: 3 }], calibrated), steps);
    expect(slow.map((s) => s.kind)).toEqual(['raise', 'end']);
    expect(slow[0]!.details.speedKmh).toBeCloseTo(0.9, 1);
    const strict = feed(newEngine([{ ...rule, minStoppedS: 10, maxSpeedKmh: 0.5 }], calibrated), steps);
    expect(strict).toEqual([]);
  });
});

describe('congestion rule', () => {
  const rule: AlertRule = {
    id: 'un-tac',
    type: 'congestion',
    zoneId: 'road',
    capacityVehicles: 10,
    minLevel: 3,
    minDurationS: 20,
  };
  /** count cars parked in two rows of the road from fromS to toS. */
  const cars = (count: number, fromS: number, toS: number, first = 0) =>
    Array.from({ length: count }, (_, i) => {
      const n = first + i;
      return vehicle(
        'car',
        route(
          [fromS, 50 + (n % 4) * 150, 330 + Math.floor(n / 4) * 90],
          [toS, 50 + (n % 4) * 150, 330 + Math.floor(n / 4) * 90],
        ),
      );
    });

  it('raises after the level holds for minDurationS, rides out a short easing, and ends 30 s after it stays below', () => {
    // 8 of 10: level 4 from 5 s; 3 leave at 40 s and return at 50 s (5 of 10 is level 2 for ~8 s); 4 leave for good at 100 s.
    const actors = [...cars(5, 5, 200), ...cars(3, 5, 40, 5), ...cars(3, 50, 100, 5)];
    const signals = feed(newEngine([rule]), runPipeline(actors, { durationS: 150, fps: 2 }));
    expect(timeline(signals).map(([kind, , t]) => [kind, t])).toEqual([
      ['raise', 25.5],
      ['end', 132.5],
    ]);
    expect(signals[0]).toMatchObject({
      type: 'congestion',
      severity: 'info',
      subject: 'zone:road',
      summary: 'Congestion level 4 (jammed) in zone road: 8 vehicles',
      details: { level: 4, peakLevel: 4, vehicles: 8, capacityVehicles: 10, meanSpeedKmh: null },
    });
    expect(signals[0]!.evidence!.boxes).toHaveLength(8);
  });

  it('does not raise for a level below minLevel', () => {
    expect(feed(newEngine([rule]), runPipeline(cars(5, 0, 60), { durationS: 60, fps: 2 }))).toEqual([]);
  });
});
