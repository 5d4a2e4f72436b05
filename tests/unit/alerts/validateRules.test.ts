import { describe, expect, it } from 'vitest';
import { ALERT_TYPES } from '../../../core/alerts.ts';
import { IocError, ValidationError } from '../../../core/errors.ts';
import type { CameraAnalysis } from '../../../core/cameraAnalysis.ts';
import { effectiveRules, validateAlertRules } from '../../../alerts/validateRules.ts';
import { ANALYSIS } from './alertScene.ts';

/** The same camera with a line whose directions are left unnamed ('in' / 'out' by LineCounter's default). */
const WITH_PLAIN_LINE: CameraAnalysis = {
  ...ANALYSIS,
  lines: [
    ...ANALYSIS.lines,
    {
      id: 'plain',
      points: [
        { x: 0, y: 100 },
        { x: 640, y: 100 },
      ],
    },
  ],
};

function fieldOf(input: unknown): string | undefined {
  try {
    validateAlertRules(input, WITH_PLAIN_LINE);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as IocError).code).toBe('IOC_VALIDATION_FAILED');
    return (err as IocError).details.field;
  }
  return undefined;
}

const crowd = { id: 'dam-dong', type: 'crowd', zoneId: 'giao-lo', minPeople: 10 };

describe('validateAlertRules', () => {
  it('returns a clean copy of valid rules, days sorted and unique, absent fields left absent', () => {
    const input = {
      rules: [
        { ...crowd, name: '  Đám đông  ', schedule: [{ from: '22:00', to: '05:00', days: [6, 5, 5] }] },
        {
          id: 'nguoc-chieu',
          type: 'wrongWay',
          lineId: 'one-way',
          forbiddenDirection: 'north',
          classes: ['motorbike', 'motorbike', 'car'],
        },
        {
          id: 'lan',
          type: 'wrongWay',
          zoneId: 'road',
          laneDirection: { from: { x: 320, y: 470 }, to: { x: 320, y: 270 } },
          minDistanceM: 30,
        },
        { id: 'dung-do', type: 'stoppedVehicle', zoneId: 'road', minStoppedS: 90, severity: 'critical', cooldownS: 0 },
        { id: 'un-tac', type: 'congestion', zoneId: 'road', capacityVehicles: 20, minLevel: 4 },
        { id: 'xam-nhap', type: 'intrusion', zoneId: 'restricted', classes: ['person'], enabled: false },
        { id: 'camera-frozen', type: 'cameraFrozen', minDurationS: 30 },
        { id: 'in-out', type: 'wrongWay', lineId: 'plain', forbiddenDirection: 'out' },
      ],
    };
    const result = validateAlertRules(input, WITH_PLAIN_LINE);
    expect(result.rules).toHaveLength(8);
    expect(result.rules[0]).toEqual({
      id: 'dam-dong',
      type: 'crowd',
      name: 'Đám đông',
      zoneId: 'giao-lo',
      minPeople: 10,
      schedule: [{ from: '22:00', to: '05:00', days: [5, 6] }],
    });
    expect(result.rules[1]).toEqual({
      id: 'nguoc-chieu',
      type: 'wrongWay',
      lineId: 'one-way',
      forbiddenDirection: 'north',
      classes: ['motorbike', 'car'],
    });
    expect(result.rules[3]).toMatchObject({ severity: 'critical', cooldownS: 0 });
    expect(result.rules[0]).not.toBe(input.rules[0]);
  });

  it.each([
    ['not an object', 'nope', 'rules'],
    ['rules not an array', { rules: {} }, 'rules'],
    ['an unknown top-level key', { rules: [], extra: 1 }, 'extra'],
    ['a rule that is not an object', { rules: [crowd, 3] }, 'rules[1]'],
    ['an unknown type', { rules: [crowd, { ...crowd, id: 'x', type: 'fire' }] }, 'rules[1].type'],
    ['an unknown key', { rules: [{ ...crowd, minCars: 3 }] }, 'rules[0].minCars'],
    ['a key of another type', { rules: [{ ...crowd, capacityVehicles: 3 }] }, 'rules[0].capacityVehicles'],
    ['a bad id', { rules: [{ ...crowd, id: 'Đám Đông' }] }, 'rules[0].id'],
    ['an id of 65 characters', { rules: [{ ...crowd, id: 'a'.repeat(65) }] }, 'rules[0].id'],
    ['a duplicated id', { rules: [crowd, { ...crowd }] }, 'rules[1].id'],
    ['a reserved id on another type', { rules: [{ ...crowd, id: 'camera-black' }] }, 'rules[0].id'],
    [
      'a zone not on the camera',
      { rules: [crowd, { ...crowd, id: 'b' }, { ...crowd, id: 'c', zoneId: 'cho-ben-thanh' }] },
      'rules[2].zoneId',
    ],
    ['a missing zone', { rules: [{ id: 'x', type: 'intrusion' }] }, 'rules[0].zoneId'],
    [
      'a line not on the camera',
      { rules: [{ id: 'w', type: 'wrongWay', lineId: 'nope', forbiddenDirection: 'north' }] },
      'rules[0].lineId',
    ],
    [
      'a direction the line does not have',
      { rules: [{ id: 'w', type: 'wrongWay', lineId: 'one-way', forbiddenDirection: 'in' }] },
      'rules[0].forbiddenDirection',
    ],
    [
      'a default direction name on a line that names its own',
      { rules: [{ id: 'w', type: 'wrongWay', lineId: 'plain', forbiddenDirection: 'north' }] },
      'rules[0].forbiddenDirection',
    ],
    ['wrongWay with neither mode', { rules: [{ id: 'w', type: 'wrongWay' }] }, 'rules[0].lineId'],
    [
      'wrongWay with a line but no direction',
      { rules: [{ id: 'w', type: 'wrongWay', lineId: 'one-way' }] },
      'rules[0].forbiddenDirection',
    ],
    [
      'wrongWay with a lane zone but no direction',
      { rules: [{ id: 'w', type: 'wrongWay', zoneId: 'road' }] },
      'rules[0].laneDirection',
    ],
    [
      'wrongWay mixing both modes',
      { rules: [{ id: 'w', type: 'wrongWay', lineId: 'one-way', forbiddenDirection: 'north', zoneId: 'road' }] },
      'rules[0].zoneId',
    ],
    [
      'a lane direction of zero length',
      {
        rules: [
          { id: 'w', type: 'wrongWay', zoneId: 'road', laneDirection: { from: { x: 1, y: 2 }, to: { x: 1, y: 2 } } },
        ],
      },
      'rules[0].laneDirection.to',
    ],
    [
      'a lane point off the frame',
      {
        rules: [
          { id: 'w', type: 'wrongWay', zoneId: 'road', laneDirection: { from: { x: 1, y: 2 }, to: { x: 900, y: 2 } } },
        ],
      },
      'rules[0].laneDirection.to.x',
    ],
    ['crowd without a threshold', { rules: [{ id: 'c', type: 'crowd', zoneId: 'giao-lo' }] }, 'rules[0].minPeople'],
    [
      'density on a zone without area',
      { rules: [{ id: 'c', type: 'crowd', zoneId: 'road', minDensityPerM2: 2 }] },
      'rules[0].minDensityPerM2',
    ],
    ['a fractional people count', { rules: [{ ...crowd, minPeople: 2.5 }] }, 'rules[0].minPeople'],
    ['a negative duration', { rules: [{ ...crowd, minDurationS: -1 }] }, 'rules[0].minDurationS'],
    ['an infinite cooldown', { rules: [{ ...crowd, cooldownS: Infinity }] }, 'rules[0].cooldownS'],
    ['a duration given as a string', { rules: [{ ...crowd, minDurationS: '10' }] }, 'rules[0].minDurationS'],
    [
      'a level of 5',
      { rules: [{ id: 'u', type: 'congestion', zoneId: 'road', capacityVehicles: 10, minLevel: 5 }] },
      'rules[0].minLevel',
    ],
    [
      'congestion without capacity',
      { rules: [{ id: 'u', type: 'congestion', zoneId: 'road' }] },
      'rules[0].capacityVehicles',
    ],
    [
      'a speed of 0',
      { rules: [{ id: 's', type: 'stoppedVehicle', zoneId: 'road', maxSpeedKmh: 0 }] },
      'rules[0].maxSpeedKmh',
    ],
    [
      'an unknown class',
      { rules: [{ id: 'i', type: 'intrusion', zoneId: 'restricted', classes: ['person', 'dog'] }] },
      'rules[0].classes[1]',
    ],
    [
      'an empty class list',
      { rules: [{ id: 'i', type: 'intrusion', zoneId: 'restricted', classes: [] }] },
      'rules[0].classes',
    ],
    ['an unknown severity', { rules: [{ ...crowd, severity: 'urgent' }] }, 'rules[0].severity'],
    ['enabled not a boolean', { rules: [{ ...crowd, enabled: 'yes' }] }, 'rules[0].enabled'],
    [
      'a bad schedule time',
      {
        rules: [
          {
            ...crowd,
            schedule: [
              { from: '07:00', to: '09:00' },
              { from: '24:00', to: '05:00' },
            ],
          },
        ],
      },
      'rules[0].schedule[1].from',
    ],
    [
      'a schedule time without its zero',
      { rules: [{ ...crowd, schedule: [{ from: '7:00', to: '09:00' }] }] },
      'rules[0].schedule[0].from',
    ],
    [
      'an empty window',
      { rules: [{ ...crowd, schedule: [{ from: '07:00', to: '07:00' }] }] },
      'rules[0].schedule[0].to',
    ],
    [
      'a day of 7',
      { rules: [{ ...crowd, schedule: [{ from: '07:00', to: '09:00', days: [1, 7] }] }] },
      'rules[0].schedule[0].days[1]',
    ],
    [
      'an unknown window key',
      { rules: [{ ...crowd, schedule: [{ from: '07:00', to: '09:00', tz: 'UTC' }] }] },
      'rules[0].schedule[0].tz',
    ],
    [
      'minDistanceM on a line',
      { rules: [{ id: 'w', type: 'wrongWay', lineId: 'one-way', forbiddenDirection: 'north', minDistanceM: 3 }] },
      'rules[0].minDistanceM',
    ],
    ['101 rules', { rules: Array.from({ length: 101 }, (_, i) => ({ ...crowd, id: `r${i}` })) }, 'rules'],
  ])('refuses %s, naming the field', (_what, input, field) => {
    expect(fieldOf(input)).toBe(field);
  });

  it.each([
    ['a missing zone', { rules: [{ id: 'x', type: 'intrusion' }] }, 'rules[0].zoneId: is required'],
    ['an unknown key', { rules: [{ ...crowd, minCars: 3 }] }, 'rules[0].minCars: is not a known field'],
    ['a fractional people count', { rules: [{ ...crowd, minPeople: 2.5 }] }, 'rules[0].minPeople: must be an integer'],
    [
      'a negative duration',
      { rules: [{ ...crowd, minDurationS: -1 }] },
      'rules[0].minDurationS: must be between 0 and 86400',
    ],
    [
      'a speed of 0',
      { rules: [{ id: 's', type: 'stoppedVehicle', zoneId: 'road', maxSpeedKmh: 0 }] },
      'rules[0].maxSpeedKmh: must be greater than 0 and at most 200',
    ],
    [
      'an unknown class',
      { rules: [{ id: 'i', type: 'intrusion', zoneId: 'restricted', classes: ['person', 'dog'] }] },
      'rules[0].classes[1]: must be one of person, bicycle, motorbike, car, bus, truck',
    ],
    ['a bad id', { rules: [{ ...crowd, id: 'Đám Đông' }] }, 'rules[0].id: must be 1–64 characters of a-z, 0-9 and -'],
    [
      'a schedule time without its zero',
      { rules: [{ ...crowd, schedule: [{ from: '7:00', to: '09:00' }] }] },
      "rules[0].schedule[0].from: must be a time 'HH:MM' (00:00–23:59)",
    ],
    ['a blank name', { rules: [{ ...crowd, name: '   ' }] }, 'rules[0].name: must not be blank'],
    [
      'an unknown type',
      { rules: [{ ...crowd, type: 'fire' }] },
      `rules[0].type: must be one of ${ALERT_TYPES.join(', ')}`,
    ],
    [
      'a zone not on the camera',
      { rules: [{ ...crowd, zoneId: 'cho-ben-thanh' }] },
      'rules[0].zoneId: zone cho-ben-thanh is not drawn on this camera',
    ],
  ])('says what is wrong with %s, in words the rules page shows', (_what, input, message) => {
    expect(() => validateAlertRules(input, WITH_PLAIN_LINE)).toThrow(message);
  });

  it('accepts exactly 100 rules', () => {
    expect(
      validateAlertRules({ rules: Array.from({ length: 100 }, (_, i) => ({ ...crowd, id: `r${i}` })) }, ANALYSIS).rules,
    ).toHaveLength(100);
  });
});

describe('effectiveRules', () => {
  it('adds each camera-problem rule with its defaults where the camera has none of that type', () => {
    const rules = effectiveRules({ rules: [{ id: 'dam-dong', type: 'crowd', zoneId: 'giao-lo', minPeople: 10 }] });
    expect(rules.map((r) => [r.id, r.type])).toEqual([
      ['dam-dong', 'crowd'],
      ['camera-offline', 'cameraOffline'],
      ['camera-frozen', 'cameraFrozen'],
      ['camera-black', 'cameraBlack'],
      ['camera-view-changed', 'cameraViewChanged'],
    ]);
  });

  it('keeps a present camera-problem rule as it is, disabled ones included, and adds no second one', () => {
    const rules = effectiveRules({
      rules: [
        { id: 'camera-black', type: 'cameraBlack', enabled: false },
        { id: 'dong-bang', type: 'cameraFrozen', minDurationS: 60 },
      ],
    });
    expect(rules.filter((r) => r.type === 'cameraBlack')).toEqual([
      { id: 'camera-black', type: 'cameraBlack', enabled: false },
    ]);
    expect(rules.filter((r) => r.type === 'cameraFrozen')).toEqual([
      { id: 'dong-bang', type: 'cameraFrozen', minDurationS: 60 },
    ]);
    expect(rules.map((r) => r.id)).toEqual(['camera-black', 'dong-bang', 'camera-offline', 'camera-view-changed']);
  });
});
