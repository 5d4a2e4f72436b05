// An alert's evidence for the officers who may see it: the snapshot with its boxes drawn, and the clip kept
// around the event (<evidenceRoot>/<alertId>/index.m3u8 and its segments). Every viewing is written to the
// audit log and the alert's own history; segment names are checked by schema, so no path can be formed.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { MediaNotFoundError } from '../core/errors.ts';
import type { AlertStore } from '../store/alerts.ts';
import { actorOf, visibleAlert } from './alertScope.ts';
import type { AuditTrail } from './auditTrail.ts';
import { ErrorBody, IdParams } from './schemas/common.ts';
import { LangQuery } from './schemas/alert.ts';
import { alertMessage, langOf } from '../core/alertMessage.ts';
import { captionSnapshot } from '../alerts/snapshotCaption.ts';

export interface AlertEvidencePluginOptions {
  alerts: AlertStore;
  /** core/paths.ts evidenceRootOf(config). */
  evidenceRoot: string;
  audit: AuditTrail;
}

const SEGMENT_TYPES: Record<string, string> = { ts: 'video/mp2t', m4s: 'video/iso.segment', mp4: 'video/mp4' };

const SegmentParams = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    segment: Type.String({ pattern: '^[A-Za-z0-9_-]+\\.(ts|m4s|mp4)$', maxLength: 80 }),
  },
  { additionalProperties: false },
);

export const alertEvidencePlugin: FastifyPluginAsyncTypebox<AlertEvidencePluginOptions> = async (app, options) => {
  const { alerts, audit } = options;
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

  /** The clip folder of a visible alert whose clip is ready; a pending or unavailable clip is a 404. */
  async function clipDir(request: FastifyRequest, id: string): Promise<{ alertId: string; dir: string }> {
    const alert = await visibleAlert(alerts, request, id);
    if (alert.clipState !== 'ready') {
      throw new MediaNotFoundError(
        `the clip of alert ${alert.id} is ${alert.clipState === 'pending' ? 'not ready yet' : 'unavailable'}`,
        { field: 'id', clipState: alert.clipState },
      );
    }
    return { alertId: alert.id, dir: join(options.evidenceRoot, alert.id) };
  }

  async function sendClipFile(reply: FastifyReply, dir: string, file: string, type: string, cache: string) {
    const found = await stat(join(dir, file)).catch(() => null);
    if (!found?.isFile()) throw new MediaNotFoundError(`${file} of this clip is not available`, { field: 'segment' });
    return reply.header('cache-control', cache).type(type).sendFile(file, dir, { cacheControl: false });
  }

  app.get(
    '/:id/snapshot.jpg',
    {
      config: { access: 'alerts:evidence' },
      schema: {
        tags: ['alerts'],
        summary: "The evidence snapshot of an alert, boxes drawn, captioned in the reader's language (image/jpeg)",
        params: IdParams,
        querystring: LangQuery,
        response: { 200: { description: 'image/jpeg', type: 'string' }, ...errors },
      },
    },
    async (request, reply) => {
      const alert = await visibleAlert(alerts, request, request.params.id);
      const snapshot = await alerts.getSnapshot(alert.id);
      if (!snapshot) throw new MediaNotFoundError(`alert ${alert.id} has no snapshot`, { field: 'id' });
      await alerts.recordView(alert.id, actorOf(request), 'snapshotViewed');
      await audit.record(request, { action: 'alert.snapshot.view', target: `alert:${alert.id}`, outcome: 'success' });
      // A snapshot sharp cannot read is still the evidence: it is served as stored, uncaptioned.
      const captioned = await captionSnapshot(snapshot.jpeg, alertMessage(alert, langOf(request.query.lang))).catch(
        (err: unknown) => {
          request.log.warn({ err, alertId: alert.id }, 'snapshot not captioned; served as stored');
          return snapshot.jpeg;
        },
      );
      return reply
        .type('image/jpeg')
        .header('cache-control', 'private, no-store')
        .send(captioned as never);
    },
  );

  app.get(
    '/:id/clip/index.m3u8',
    {
      config: { access: 'alerts:evidence' },
      schema: {
        tags: ['alerts'],
        summary: 'The evidence clip of an alert (HLS playlist); 404 until it is ready',
        params: IdParams,
        response: errors,
      },
    },
    async (request, reply) => {
      const { alertId, dir } = await clipDir(request, request.params.id);
      // The playlist opens a viewing; its segments, fetched one by one, are not recorded each.
      await alerts.recordView(alertId, actorOf(request), 'clipViewed');
      await audit.record(request, { action: 'alert.clip.view', target: `alert:${alertId}`, outcome: 'success' });
      return sendClipFile(
        reply as FastifyReply,
        dir,
        'index.m3u8',
        'application/vnd.apple.mpegurl',
        'private, no-store',
      );
    },
  );

  app.get(
    '/:id/clip/:segment',
    {
      config: { access: 'alerts:evidence' },
      schema: {
        tags: ['alerts'],
        summary: "A segment of an alert's evidence clip",
        params: SegmentParams,
        response: errors,
      },
    },
    async (request, reply) => {
      const { dir } = await clipDir(request, request.params.id);
      const segment = request.params.segment;
      // A kept clip never changes, but it is evidence: private caches only.
      return sendClipFile(
        reply as FastifyReply,
        dir,
        segment,
        SEGMENT_TYPES[segment.slice(segment.lastIndexOf('.') + 1)]!,
        'private, max-age=3600',
      );
    },
  );
};
