import { describe, expect, it } from 'vitest';
import type { AlertRule, AlertSignal, ImageStats } from '../../../core/alerts.ts';
import { ValidationError } from '../../../core/errors.ts';
import { AlertEngine } from '../../../alerts/alertEngine.ts';
import { encodeThumb } from '../../../alerts/thumb.ts';
import { effectiveRules } from '../../../alerts/validateRules.ts';
import {
  ANALYSIS,
  feed,
  newEngine,
  person,
  route,
  runPipeline,
  SIZE,
  TIME_ZONE,
  timeline,
  vehicle,
  type Actor,
  type SceneStep,
} from './alertScene.ts';

/** Friday 2026-11-27 23:58:30 in Asia/Ho_Chi_Minh. */
const BEFORE_MIDNIGHT_MS = Date.UTC(2026, 10, 27, 16, 58, 30);

const RULES: AlertRule[] = effectiveRules({
  rules: [
    { id: 'dam-dong', type: 'crowd', zoneId: 'giao-lo', minPeople: 6, minDurationS: 5 },
    { id: 'xam-nhap', type: 'intrusion', zoneId: 'restricted', classes: ['person'] },
    { id: 'mot-chieu', type: 'wrongWay', lineId: 'one-way', forbiddenDirection: 'north' },
    { id: 'dung-do', type: 'stoppedVehicle', zoneId: 'road', minStoppedS: 10 },
    { id: 'un-tac', type: 'congestion', zoneId: 'road', capacityVehicles: 4, minLevel: 2, minDurationS: 5 },
    { id: 'camera-frozen', type: 'cameraFrozen', minDurationS: 8 },
  ],
});

/** A busy minute: a crowd gathers and leaves, people intrude, cars cross both ways and park, the picture freezes. */
function busyScene(): SceneStep[] {
  const actors: Actor[] = [];
  for (let i = 0; i < 7; i++) actors.push(person(route([5 + i, 40 + i * 40, 120], [40, 40 + i * 40, 120])));
  actors.push(person(route([0, 350, 100], [5, 500, 100], [20, 500, 100], [25, 350, 100])));
  actors.push(person(route([30, 600, 150], [50, 600, 150])));
  actors.push(vehicle('car', route([2, 450, 420], [6, 450, 80])));
  actors.push(vehicle('motorbike', route([10, 200, 100], [14, 200, 400])));
  actors.push(vehicle('car', route([20, 450, 420], [24, 450, 80])));
  // Traffic riding along the road past the parked cars (they are stopped while it moves, not queued).
  for (let k = 0; k < 5; k++) actors.push(vehicle('motorbike', route([10 + k * 8, 630, 290], [20 + k * 8, 10, 290])));
  for (let i = 0; i < 3; i++)
    actors.push(
      vehicle(
        'car',
        route(
          [12, 40, 330 + i * 50],
          [14, 100 + i * 150, 330 + i * 50],
          [15, 110 + i * 150, 330 + i * 50],
          [45, 110 + i * 150, 330 + i * 50],
        ),
      ),
    );
  const image = (tS: number): ImageStats => {
    const frame = tS >= 25 && tS <= 40 ? 0 : Math.round(tS * 5);
    return {
      meanLuma: 110,
      stdLuma: 50,
      thumb: encodeThumb(Array.from({ length: 256 }, (_, i) => (i * 7 + frame * 3) % 256)),
    };
  };
  return runPipeline(actors, { durationS: 60, fps: 5, image });
}

const serialise = (signals: AlertSignal[]) => signals.map((s) => JSON.stringify(s));

describe('AlertEngine', () => {
  it('runs every rule over one stream, with keys from camera, rule, subject and start time', () => {
    const signals = feed(newEngine(RULES), busyScene());
    const raisedTypes = signals.filter((s) => s.kind === 'raise').map((s) => s.type);
    expect(new Set(raisedTypes)).toEqual(
      new Set(['crowd', 'intrusion', 'wrongWay', 'stoppedVehicle', 'congestion', 'cameraFrozen']),
    );
    for (const s of signals) expect(s.key).toBe(`cam:${s.ruleId}:${s.subject}:${s.startedAtMs}`);
    // Every raise ends by the end of the scene or is still open, and nothing ends that was not raised.
    const open = new Set<string>();
    for (const s of signals) {
      if (s.kind === 'raise') open.add(s.key);
      else expect(open.has(s.key) || s.details.reopened === true).toBe(true);
      if (s.kind === 'end') open.delete(s.key);
    }
  });

  it('ends every open alert when the camera goes idle, and re-opens the same one within the cooldown when frames return', () => {
    const steps = busyScene();
    const cut = steps.findIndex((step) => step.frame.capturedAtMs - steps[0]!.frame.capturedAtMs >= 36_000);
    const engine = newEngine(RULES);
    const before = feed(engine, steps.slice(0, cut));
    expect(engine.openAlertCount).toBeGreaterThan(0);
    const openKeys = new Set(before.filter((s) => s.kind === 'raise').map((s) => s.key));
    for (const s of before) if (s.kind === 'end') openKeys.delete(s.key);
    const idleAtMs = steps[cut - 1]!.frame.capturedAtMs;
    const ended = engine.endAll(idleAtMs);
    expect(new Set(ended.map((s) => s.key))).toEqual(openKeys);
    for (const s of ended) {
      expect(s.kind).toBe('end');
      expect(s.atMs).toBe(idleAtMs);
      expect(s.details.endReason).toBe('cameraIdle');
    }
    expect(engine.openAlertCount).toBe(0);
    expect(engine.endAll(idleAtMs)).toEqual([]);
    // The frozen picture is still frozen when frames come back: the same alert re-opens, no second one.
    const after = feed(engine, steps.slice(cut, cut + 5));
    const frozen = after.filter((s) => s.type === 'cameraFrozen');
    expect(frozen.filter((s) => s.kind === 'raise')).toEqual([]);
    expect(frozen.some((s) => s.kind === 'update' && s.details.reopened === true && openKeys.has(s.key))).toBe(true);
  });

  it('gives the same signals for the same frames', () => {
    const steps = busyScene();
    expect(serialise(feed(newEngine(RULES), steps))).toEqual(serialise(feed(newEngine(RULES), steps)));
  });

  it('continues exactly after a snapshot → JSON → restore at any point of the stream', () => {
    const steps = busyScene();
    const uninterrupted = serialise(feed(newEngine(RULES), steps));
    for (const cut of [1, 40, 77, 130, 151, 200, 260]) {
      const first = newEngine(RULES);
      const before = feed(first, steps.slice(0, cut));
      const json = JSON.stringify(first.snapshot());
      expect(json.length).toBeLessThan(20_000);
      const restored = AlertEngine.restore(JSON.parse(json), 'cam', RULES, ANALYSIS, SIZE, { timeZone: TIME_ZONE });
      expect(restored.openAlertCount).toBe(first.openAlertCount);
      expect(JSON.stringify(restored.snapshot())).toBe(json);
      const after = feed(restored, steps.slice(cut));
      expect(serialise([...before, ...after])).toEqual(uninterrupted);
    }
  });

  it('ends the open alerts of a rule removed or disabled between snapshot and restore', () => {
    const steps = busyScene();
    const first = newEngine(RULES);
    feed(first, steps.slice(0, 180)); // the parked cars have been stopped for 20 s
    expect(first.openAlertCount).toBeGreaterThan(0);
    const withoutStopped = RULES.map((r) => (r.id === 'dung-do' ? { ...r, enabled: false } : r));
    const restored = AlertEngine.restore(first.snapshot(), 'cam', withoutStopped, ANALYSIS, SIZE, {
      timeZone: TIME_ZONE,
    });
    const next = restored.onFrame(steps[180]!.frame, steps[180]!.output);
    const ended = next.filter((s) => s.ruleId === 'dung-do');
    expect(ended.length).toBe(3);
    expect(
      ended.every(
        (s) => s.kind === 'end' && s.details.endReason === 'ruleRemoved' && s.atMs === steps[180]!.frame.capturedAtMs,
      ),
    ).toBe(true);
    expect(feed(restored, steps.slice(181)).filter((s) => s.ruleId === 'dung-do')).toEqual([]);
  });

  it('refuses a snapshot of another version or camera', () => {
    const args = ['cam', RULES, ANALYSIS, SIZE, { timeZone: TIME_ZONE }] as const;
    expect(() => AlertEngine.restore({ version: 99, cameraId: 'cam', rules: {} }, ...args)).toThrow(ValidationError);
    expect(() => AlertEngine.restore({ ...newEngine(RULES).snapshot(), cameraId: 'other' }, ...args)).toThrow(
      ValidationError,
    );
    expect(() => new AlertEngine('cam', RULES, ANALYSIS, SIZE, { timeZone: 'Nowhere/Atlantis' })).toThrow(
      ValidationError,
    );
  });

  it('raises only inside the schedule, from the moment it opens, and ends when the window closes past midnight', () => {
    const rule: AlertRule = {
      id: 'ban-dem',
      type: 'intrusion',
      zoneId: 'restricted',
      classes: ['person'],
      schedule: [{ from: '23:59', to: '00:01' }],
    };
    const standing = person(route([0, 500, 100], [240, 500, 100]));
    const steps = runPipeline([standing], { durationS: 240, fps: 1, startMs: BEFORE_MIDNIGHT_MS });
    const signals = feed(newEngine([rule]), steps);
    expect(timeline(signals, BEFORE_MIDNIGHT_MS).map(([kind, , t]) => [kind, t])).toEqual([
      ['raise', 30], // 23:59:00
      ['end', 150], // 00:01:00
    ]);
    expect(signals[0]!.startedAtMs).toBe(BEFORE_MIDNIGHT_MS + 30_000);
    expect(signals[1]!.details.endReason).toBe('scheduleClosed');
  });

  it('runs nothing for disabled rules nor for cameraOffline (judged from camera health elsewhere)', () => {
    const rules: AlertRule[] = [
      { id: 'xam-nhap', type: 'intrusion', zoneId: 'restricted', enabled: false },
      { id: 'camera-offline', type: 'cameraOffline', minDurationS: 1 },
    ];
    expect(
      feed(newEngine(rules), runPipeline([person(route([0, 500, 100], [20, 500, 100]))], { durationS: 20, fps: 2 })),
    ).toEqual([]);
  });

  it('draws evidence boxes in pixels of the frame it names, when that frame is larger than the analysed size', () => {
    const steps = runPipeline([person(route([0, 500, 100], [5, 500, 100]))], { durationS: 5, fps: 5 });
    const engine = newEngine([{ id: 'xam-nhap', type: 'intrusion', zoneId: 'restricted' }]);
    const signals = steps.flatMap((s) =>
      engine.onFrame({ ...s.frame, frameWidthPx: 1280, frameHeightPx: 960 }, s.output),
    );
    expect(signals[0]!.evidence).toMatchObject({ frameWidthPx: 1280, frameHeightPx: 960 });
    const [x1, y1, x2, y2] = signals[0]!.evidence!.boxes[0]!.box;
    expect([x1, y1, x2, y2].map((v) => Math.round(v))).toEqual([984, 120, 1016, 200]);
  });

  it('ignores a frame older than one already seen', () => {
    const steps = runPipeline([], { durationS: 2, fps: 1 });
    const engine = newEngine(RULES);
    feed(engine, steps);
    expect(engine.onFrame(steps[0]!.frame, steps[0]!.output)).toEqual([]);
    expect(engine.framesOutOfOrder).toBe(1);
  });
});
