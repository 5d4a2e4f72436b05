// POST /api/cameras/probe.jpg: "test the connection" of the camera form. Pulls one still from the URL as
// typed (before saving); `***:***@` with a cameraId means the stored credentials, which are never answered.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { assertSourceUrl, keepStoredCredentials } from '../core/sourceUrl.ts';
import { grabSourceFrame } from '../ingest/sourceStill.ts';
import type { CameraRepository } from '../store/cameras.ts';
import type { AuditTrail } from './auditTrail.ts';
import { visibleCamera } from './cameraScope.ts';
import { ErrorBody } from './schemas/common.ts';

const ProbeBody = Type.Object(
  {
    url: Type.String({
      minLength: 8,
      maxLength: 2048,
      pattern: '^(rtsp|rtsps|rtmp|rtmps)://[^\\s]+$',
      description: 'The main or sub stream URL as typed',
    }),
    cameraId: Type.Optional(
      Type.String({ format: 'uuid', description: 'The camera being edited: its stored credentials fill in ***:***' }),
    ),
    stream: Type.Optional(
      Type.String({
        enum: ['main', 'sub'],
        description: 'Whose stored credentials: the main (default) or the sub stream',
      }),
    ),
  },
  { additionalProperties: false },
);

export interface CameraProbePluginOptions {
  cameras: CameraRepository;
  ffmpegPath: string;
  audit: AuditTrail;
  /** Default 8 s: a camera that answers at all gives a key frame well within it. */
  timeoutMs?: number;
}

export const cameraProbePlugin: FastifyPluginAsyncTypebox<CameraProbePluginOptions> = async (app, options) => {
  app.post(
    '/probe.jpg',
    {
      config: { access: 'cameras:write' },
      schema: {
        tags: ['cameras'],
        summary: 'One still from a source URL, to test a camera before saving it (image/jpeg)',
        body: ProbeBody,
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
      assertSourceUrl(request.body.url, 'url');
      let url = request.body.url;
      if (request.body.cameraId) {
        const camera = await visibleCamera(options.cameras, request, request.body.cameraId);
        url = keepStoredCredentials(url, request.body.stream === 'sub' ? camera.subUrl : camera.mainUrl);
      }
      await options.audit.record(request, {
        action: 'camera.probe',
        target: request.body.cameraId ? `camera:${request.body.cameraId}` : null,
        outcome: 'success',
      });
      const jpeg = await grabSourceFrame(url, options.ffmpegPath, options.timeoutMs);
      return reply
        .type('image/jpeg')
        .header('cache-control', 'no-store')
        .send(jpeg as never);
    },
  );
};
