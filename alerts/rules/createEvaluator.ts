// The registry of evaluators by rule type: one place that says which types the engine runs itself.
// cameraOffline is not here: it is judged from ingest's camera health, not from analysed frames.
import type { AlertRule } from '../../core/alerts.ts';
import type { RuleEvaluator } from '../ruleEvaluator.ts';
import { CameraBlackEvaluator, CameraFrozenEvaluator, CameraViewChangedEvaluator } from './cameraImageRule.ts';
import { CongestionRuleEvaluator } from './congestionRule.ts';
import { CrowdRuleEvaluator } from './crowdRule.ts';
import { IntrusionRuleEvaluator } from './intrusionRule.ts';
import { StoppedVehicleRuleEvaluator } from './stoppedVehicleRule.ts';
import { WrongWayRuleEvaluator } from './wrongWayRule.ts';

/** The evaluator of a rule; null for types the frame engine does not judge (cameraOffline). */
export function createEvaluator(rule: AlertRule): RuleEvaluator | null {
  switch (rule.type) {
    case 'crowd':
      return new CrowdRuleEvaluator(rule);
    case 'intrusion':
      return new IntrusionRuleEvaluator(rule);
    case 'wrongWay':
      return new WrongWayRuleEvaluator(rule);
    case 'stoppedVehicle':
      return new StoppedVehicleRuleEvaluator(rule);
    case 'congestion':
      return new CongestionRuleEvaluator(rule);
    case 'cameraFrozen':
      return new CameraFrozenEvaluator(rule);
    case 'cameraBlack':
      return new CameraBlackEvaluator(rule);
    case 'cameraViewChanged':
      return new CameraViewChangedEvaluator(rule);
    case 'cameraOffline':
      return null;
  }
}
