// /api/cameras/:id/frame.jpg: a still of the live view, for the setup page to draw on.
import { join } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { CameraRepository } from '../store/cameras.ts';
import { grabStillFrame } from '../ingest/stillFrame.ts';
import { ErrorBody, IdParams } from './schemas/common.ts';

export interface CameraFramePluginOptions {
  cameras: CameraRepository;
  hlsRoot: string;
  ffmpegPath: string;
}

export const cameraFramePlugin: FastifyPluginAsyncTypebox<CameraFramePluginOptions> = async (app, options) => {
  app.get(
    '/:id/frame.jpg',
    {
      schema: {
        tags: ['cameras'],
        summary: 'A still JPEG of the live view (image/jpeg)',
        params: IdParams,
        response: { 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const camera = await options.cameras.get(request.params.id);
      const jpeg = await grabStillFrame(join(options.hlsRoot, camera.id), options.ffmpegPath);
      return reply.type('image/jpeg').header('cache-control', 'no-store').send(jpeg as never);
    },
  );
};
