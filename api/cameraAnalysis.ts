// /api/cameras/:id/analysis: the lines, zones and calibration a person draws on a camera's frame.
// Checked whole before saving (self-intersecting zones, one-point lines, points off the frame → 400).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { validateCameraGeometry } from '../analytics/validateGeometry.ts';
import type { CameraAnalysis } from '../core/cameraAnalysis.ts';
import type { Camera } from '../core/camera.ts';
import type { GroundCalibration } from '../core/geometry.ts';
import { ValidationError } from '../core/errors.ts';
import type { CameraRepository } from '../store/cameras.ts';
import type { CameraAnalysisRepository } from '../store/cameraAnalysis.ts';
import { CameraAnalysisBody } from './schemas/analysis.ts';
import { ErrorBody, IdParams } from './schemas/common.ts';
import type { AuditTrail } from './auditTrail.ts';
import { visibleCamera } from './cameraScope.ts';

export interface CameraAnalysisPluginOptions {
  cameras: CameraRepository;
  analysis: CameraAnalysisRepository;
  onChange?: (camera: Camera, change: 'updated') => void;
  audit: AuditTrail;
  /** Why the configured model cannot run at a camera's input size, or null; sizes go unchecked without it. */
  inputSizeProblem?: (size: { widthPx: number; heightPx: number }) => string | null;
}

export const cameraAnalysisPlugin: FastifyPluginAsyncTypebox<CameraAnalysisPluginOptions> = async (app, options) => {
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

  app.get(
    '/:id/analysis',
    {
      config: { access: 'analysis:read' },
      schema: {
        tags: ['cameras'],
        summary: 'Counting lines, zones and calibration of a camera',
        params: IdParams,
        response: { 200: CameraAnalysisBody, ...errors },
      },
    },
    async (request) => {
      const camera = await visibleCamera(options.cameras, request, request.params.id);
      return options.analysis.get(camera.id);
    },
  );

  app.put(
    '/:id/analysis',
    {
      config: { access: 'analysis:write' },
      schema: {
        tags: ['cameras'],
        summary: 'Replace the analysis setup of a camera',
        params: IdParams,
        body: CameraAnalysisBody,
        response: { 200: CameraAnalysisBody, ...errors },
      },
    },
    async (request) => {
      const camera = await visibleCamera(options.cameras, request, request.params.id);
      const body = request.body;
      const analysis: CameraAnalysis = {
        widthPx: body.widthPx,
        heightPx: body.heightPx,
        lines: body.lines,
        zones: body.zones,
        calibration: (body.calibration ?? null) as GroundCalibration | null,
        // Kept only when set, so a setup without one reads back as it was written.
        ...(body.inputSizePx ? { inputSizePx: body.inputSizePx } : {}),
      };
      const sizeProblem = analysis.inputSizePx ? options.inputSizeProblem?.(analysis.inputSizePx) : null;
      if (sizeProblem) throw new ValidationError(`inputSizePx: ${sizeProblem}`, { field: 'inputSizePx' });
      const problems = validateCameraGeometry(analysis);
      if (problems.length > 0) {
        const first = problems[0]!;
        throw new ValidationError(`${first.field}: ${first.message}`, { field: first.field, problems });
      }
      await options.analysis.set(camera.id, analysis);
      options.onChange?.(camera, 'updated');
      await options.audit.record(request, {
        action: 'analysis.update',
        target: `camera:${camera.id}`,
        outcome: 'success',
        detail: {
          lines: analysis.lines.length,
          zones: analysis.zones.length,
          calibrated: analysis.calibration !== null,
        },
      });
      return analysis;
    },
  );
};
