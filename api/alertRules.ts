// /api/cameras/:id/alert-rules: the alert rules of one camera, read by whoever sees its alerts and replaced
// whole by an admin. Checked against the camera's drawn zones and lines (alerts/validateRules.ts) first.
import { TypeBoxValidatorCompiler, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifySchemaCompiler } from 'fastify';
import { checkRuleShape } from '../alerts/ruleShape.ts';
import { validateAlertRules } from '../alerts/validateRules.ts';
import type { Camera } from '../core/camera.ts';
import type { AlertRulesRepository } from '../store/alertRules.ts';
import type { CameraAnalysisRepository } from '../store/cameraAnalysis.ts';
import type { CameraRepository } from '../store/cameras.ts';
import type { AuditTrail } from './auditTrail.ts';
import { visibleCamera } from './cameraScope.ts';
import { AlertRulesBody } from './schemas/alert.ts';
import { ErrorBody, IdParams } from './schemas/common.ts';

export interface AlertRulesPluginOptions {
  cameras: CameraRepository;
  analysis: CameraAnalysisRepository;
  rules: AlertRulesRepository;
  /** The analyzer reloads a camera's rules on its change notice. */
  onChange?: (camera: Camera, change: 'updated') => void;
  audit: AuditTrail;
}

/**
 * The body is checked with the same schema the docs show, branch by rule type, so a fault reads
 * `rules[2].zoneId: is required` (the rules page puts it on that rule's card); params as every route.
 */
const rulesValidatorCompiler: FastifySchemaCompiler<unknown> = (route) => {
  if (route.httpPart !== 'body')
    return TypeBoxValidatorCompiler(route as Parameters<typeof TypeBoxValidatorCompiler>[0]);
  return (body: unknown) => {
    try {
      return { value: checkRuleShape(body) };
    } catch (error) {
      return { error: error as Error };
    }
  };
};

export const alertRulesPlugin: FastifyPluginAsyncTypebox<AlertRulesPluginOptions> = async (app, options) => {
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

  app.get(
    '/:id/alert-rules',
    {
      config: { access: 'alerts:read' },
      schema: {
        tags: ['alerts'],
        summary: 'The alert rules of a camera (camera-problem rules apply with defaults when absent)',
        params: IdParams,
        response: { 200: AlertRulesBody, ...errors },
      },
    },
    async (request) => {
      const camera = await visibleCamera(options.cameras, request, request.params.id);
      return options.rules.get(camera.id);
    },
  );

  app.put(
    '/:id/alert-rules',
    {
      config: { access: 'alertRules:write' },
      validatorCompiler: rulesValidatorCompiler,
      schema: {
        tags: ['alerts'],
        summary: 'Replace the alert rules of a camera',
        params: IdParams,
        body: AlertRulesBody,
        response: { 200: AlertRulesBody, ...errors },
      },
    },
    async (request) => {
      const camera = await visibleCamera(options.cameras, request, request.params.id);
      const rules = validateAlertRules(request.body, await options.analysis.get(camera.id));
      await options.rules.set(camera.id, rules);
      options.onChange?.(camera, 'updated');
      await options.audit.record(request, {
        action: 'alert.rules.update',
        target: `camera:${camera.id}`,
        outcome: 'success',
        detail: { rules: rules.rules.length, types: [...new Set(rules.rules.map((r) => r.type))] },
      });
      return rules;
    },
  );
};
