import { describe, expect, it } from 'vitest';
import { validateAlertRules } from '../../../alerts/validateRules.ts';
import { DEMO_ALERT_RULES, DEMO_ANALYSIS } from '../../../bin/demoCamera.ts';

describe('the sample camera preset', () => {
  it("has alert rules that pass the API's validation against its own lines and zones", () => {
    const checked = validateAlertRules({ rules: DEMO_ALERT_RULES }, DEMO_ANALYSIS);
    expect(checked.rules.map((r) => r.type)).toEqual(['wrongWay', 'congestion']);
  });

  it("gives the junction the congestion rule's capacity, so the traffic panel shows its level", () => {
    const rule = DEMO_ALERT_RULES.find((r) => r.type === 'congestion') as { zoneId: string; capacityVehicles: number };
    const zone = DEMO_ANALYSIS.zones.find((z) => z.id === rule.zoneId);
    expect(zone?.capacityVehicles).toBe(rule.capacityVehicles);
  });
});
