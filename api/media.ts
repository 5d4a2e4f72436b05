// /hls/:cameraId/:file — the live HLS playlists and segments ingest writes. Names are checked by
// schema (no path can be formed from them) and served with the types hls.js and Safari expect. A playlist's
// program date times are put on the wall clock first (alerts/wallClockPlaylist.ts), so the wall's boxes, dated
// by that clock, meet the picture they were found in.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { MediaNotFoundError } from '../core/errors.ts';
import { readWallClockPlaylist } from '../alerts/wallClockPlaylist.ts';
import { ErrorBody } from './schemas/common.ts';
import { seesDistrict } from '../core/access.ts';
import type { CameraRepository } from '../store/cameras.ts';
import type { AuditTrail } from './auditTrail.ts';
import { principalOf } from './authenticate.ts';

export interface MediaPluginOptions {
  hlsRoot: string;
  cameras: CameraRepository;
  audit: AuditTrail;
}

const CONTENT_TYPES: Record<string, string> = {
  m3u8: 'application/vnd.apple.mpegurl',
  ts: 'video/mp2t',
  m4s: 'video/iso.segment',
  mp4: 'video/mp4',
};

const MediaParams = Type.Object(
  {
    cameraId: Type.String({ format: 'uuid' }),
    file: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}\\.(m3u8|ts|m4s|mp4)$', maxLength: 70 }),
  },
  { additionalProperties: false },
);

export const mediaPlugin: FastifyPluginAsyncTypebox<MediaPluginOptions> = async (app, options) => {
  app.get(
    '/:cameraId/:file',
    {
      config: { access: 'video' },
      schema: {
        tags: ['media'],
        summary: 'Live HLS playlist or segment of a camera',
        params: MediaParams,
        response: {
          200: {
            content: {
              [CONTENT_TYPES.m3u8!]: { schema: Type.String() },
              [CONTENT_TYPES.ts!]: { schema: Type.String({ format: 'binary' }) },
            },
          },
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const { cameraId, file } = request.params;
      const notFound = () =>
        new MediaNotFoundError(`${file} of camera ${cameraId} is not available`, { field: 'file' });
      // A camera of another district (or none) answers like a missing file: existence never leaks.
      const camera = await options.cameras.get(cameraId).catch(() => null);
      if (!camera || !seesDistrict(principalOf(request), camera.district)) throw notFound();
      await options.audit.access(request, 'video', camera.id);
      const dir = join(options.hlsRoot, cameraId);
      const found = await stat(join(dir, file)).catch(() => null);
      if (!found?.isFile()) throw notFound();
      const extension = file.slice(file.lastIndexOf('.') + 1);
      const type = CONTENT_TYPES[extension] ?? 'application/octet-stream';
      // Playlists change every segment; segments never change once written.
      if (extension === 'm3u8') {
        const playlist = await readWallClockPlaylist(dir, file).catch(() => null);
        if (playlist === null) throw notFound();
        return reply.header('cache-control', 'no-cache, no-store').type(type).send(playlist.text);
      }
      return reply
        .header('cache-control', 'public, max-age=60')
        .type(type)
        .sendFile(file, dir, { cacheControl: false });
    },
  );
};
