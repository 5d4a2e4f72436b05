// /api/cameras/:id/frame.jpg: a still of the live view, for the setup page to draw on.
import { join } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { CameraRepository } from '../store/cameras.ts';
import { grabStillFrame } from '../ingest/stillFrame.ts';
import { ErrorBody, IdParams } from './schemas/common.ts';
import type { AuditTrail } from './auditTrail.ts';
import { visibleCamera } from './cameraScope.ts';

export interface CameraFramePluginOptions {
  cameras: CameraRepository;
  hlsRoot: string;
  ffmpegPath: string;
  audit: AuditTrail;
}

export const cameraFramePlugin: FastifyPluginAsyncTypebox<CameraFramePluginOptions> = async (app, options) => {
  app.get(
    '/:id/frame.jpg',
    {
      config: { access: 'frame' },
      schema: {
        tags: ['cameras'],
        summary: 'A still JPEG of the live view (image/jpeg)',
        params: IdParams,
        response: {
          200: { description: 'image/jpeg', type: 'string' },
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const camera = await visibleCamera(options.cameras, request, request.params.id);
      await options.audit.access(request, 'frame', camera.id);
      const jpeg = await grabStillFrame(join(options.hlsRoot, camera.id), options.ffmpegPath);
      return reply
        .type('image/jpeg')
        .header('cache-control', 'no-store')
        .send(jpeg as never);
    },
  );
};
