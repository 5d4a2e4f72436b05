// /api/cameras: create, read, update, delete cameras and read their health. Source URLs are stored
// with their credentials but always answered redacted; every change notifies ingest at once.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Camera, CameraHealth } from '../core/camera.ts';
import type { AnalysisActivity, SceneCutTotals } from '../core/analysisStatus.ts';
import { analysisHealthBody } from './analysisHealth.ts';
import { assertSourceUrl, keepStoredCredentials, publicSourceUrl, sourceUrlHasCredentials } from '../core/sourceUrl.ts';
import type { CameraInput, CameraPatch, CameraRepository } from '../store/cameras.ts';
import {
  AnalysisHealthBody,
  CameraBody,
  CameraCreateBody,
  CameraHealthBody,
  CameraList,
  CameraPatchBody,
} from './schemas/camera.ts';
import { ErrorBody, IdParams, PageQuery } from './schemas/common.ts';
import Type from 'typebox';
import type { AuditTrail } from './auditTrail.ts';
import { assertOwnDistrict, districtFilter, visibleCamera } from './cameraScope.ts';

export interface CameraHealthSource {
  latest(cameraIds?: readonly string[]): Promise<Map<string, CameraHealth>>;
  history(cameraId: string, sinceMs: number, limit: number): Promise<CameraHealth[]>;
}

export interface CamerasPluginOptions {
  cameras: CameraRepository;
  health: CameraHealthSource;
  /** Scene cuts the analyzers published per camera; the health shows none without it (or when Redis is away). */
  sceneCuts?: () => Promise<Map<string, SceneCutTotals>>;
  /** What the analyzers saw lately per camera (frame size, newest detection); the health says nothing of it without. */
  analysisActivity?: () => Promise<Map<string, AnalysisActivity>>;
  /** Called after every change so ingest reconciles without waiting for its next poll. */
  onChange?: (camera: Camera, change: 'created' | 'updated' | 'deleted') => void;
  audit: AuditTrail;
}

const DEFAULT_SAMPLE_FPS = 5;

/** What the analyzers published about cameras, read once per request. */
export interface AnalysisFacts {
  sceneCuts: Map<string, SceneCutTotals>;
  activity: Map<string, AnalysisActivity>;
}

export function toCameraBody(camera: Camera, health: CameraHealth | undefined, facts?: AnalysisFacts) {
  return {
    id: camera.id,
    name: camera.name,
    mainUrl: publicSourceUrl(camera.mainUrl),
    subUrl: camera.subUrl === null ? null : publicSourceUrl(camera.subUrl),
    hasCredentials:
      sourceUrlHasCredentials(camera.mainUrl) || (camera.subUrl !== null && sourceUrlHasCredentials(camera.subUrl)),
    district: camera.district,
    location: camera.location,
    enabled: camera.enabled,
    sampleFps: camera.sampleFps,
    hlsUrl: `/hls/${camera.id}/index.m3u8`,
    health: {
      ...toHealthBody(health, camera.enabled),
      ...sceneCutBody(facts?.sceneCuts.get(camera.id)),
      ...analysisHealthBody(facts?.activity.get(camera.id), Date.now()),
    },
    createdAt: camera.createdAt.toISOString(),
    updatedAt: camera.updatedAt.toISOString(),
  };
}

function toHealthBody(health: CameraHealth | undefined, enabled: boolean) {
  return {
    state: health?.state ?? (enabled ? 'unknown' : 'stopped'),
    hlsMode: health?.hlsMode ?? null,
    inputFps: health?.inputFps ?? null,
    bitrateKbps: health?.bitrateKbps ?? null,
    lastFrameAt: health?.lastFrameAt?.toISOString() ?? null,
    restarts: health?.restarts ?? 0,
    message: health?.message ?? null,
    updatedAt: health?.updatedAt.toISOString() ?? null,
  };
}

/** The analysis side of health: frames that did not continue the previous one (every track ended there). */
function sceneCutBody(totals: SceneCutTotals | undefined) {
  return {
    sceneCuts: totals ? Object.values(totals.byReason).reduce((a, b) => a + b, 0) : 0,
    lastSceneCutAt: totals?.lastAtMs ? new Date(totals.lastAtMs).toISOString() : null,
    lastSceneCutReason: totals?.lastReason ?? null,
  };
}

function checkUrls(body: { mainUrl?: string; subUrl?: string | null }): void {
  if (body.mainUrl !== undefined) assertSourceUrl(body.mainUrl, 'mainUrl');
  if (body.subUrl) assertSourceUrl(body.subUrl, 'subUrl');
}

export const camerasPlugin: FastifyPluginAsyncTypebox<CamerasPluginOptions> = async (app, options) => {
  const { cameras, health } = options;
  // Redis away: the health answers without the analysis side rather than failing.
  const analysisFacts = async (): Promise<AnalysisFacts> => {
    const [sceneCuts, activity] = await Promise.all([
      options.sceneCuts
        ? options.sceneCuts().catch(() => new Map<string, SceneCutTotals>())
        : new Map<string, SceneCutTotals>(),
      options.analysisActivity
        ? options.analysisActivity().catch(() => new Map<string, AnalysisActivity>())
        : new Map<string, AnalysisActivity>(),
    ]);
    return { sceneCuts, activity };
  };
  const notify = (camera: Camera, change: 'created' | 'updated' | 'deleted') => options.onChange?.(camera, change);
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
  const audit = options.audit;

  app.get(
    '/',
    {
      config: { access: 'cameras:list' },
      schema: {
        tags: ['cameras'],
        summary: 'List the cameras of your districts with their live health',
        querystring: PageQuery,
        response: { 200: CameraList, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => {
      const all = await cameras.list({ districts: districtFilter(request) });
      const offset = request.query.offset ?? 0;
      const page = all.slice(offset, offset + (request.query.limit ?? 100));
      const latest = await health.latest(page.map((c) => c.id));
      const facts = await analysisFacts();
      return { items: page.map((c) => toCameraBody(c, latest.get(c.id), facts)), total: all.length };
    },
  );

  app.get(
    '/:id',
    {
      config: { access: 'cameras:read' },
      schema: { tags: ['cameras'], summary: 'One camera', params: IdParams, response: { 200: CameraBody, ...errors } },
    },
    async (request) => {
      const camera = await visibleCamera(cameras, request, request.params.id);
      const latest = await health.latest([camera.id]);
      return toCameraBody(camera, latest.get(camera.id), await analysisFacts());
    },
  );

  app.post(
    '/',
    {
      config: { access: 'cameras:write' },
      schema: {
        tags: ['cameras'],
        summary: 'Add a camera; ingest starts it at once when enabled',
        body: CameraCreateBody,
        response: { 201: CameraBody, ...errors },
      },
    },
    async (request, reply) => {
      checkUrls(request.body);
      assertOwnDistrict(request, request.body.district);
      const input: CameraInput = { ...request.body, sampleFps: request.body.sampleFps ?? DEFAULT_SAMPLE_FPS };
      const camera = await cameras.create(input);
      notify(camera, 'created');
      await audit.record(request, {
        action: 'camera.create',
        target: `camera:${camera.id}`,
        outcome: 'success',
        detail: { name: camera.name, district: camera.district },
      });
      return reply.status(201).send(toCameraBody(camera, undefined));
    },
  );

  app.patch(
    '/:id',
    {
      config: { access: 'cameras:write' },
      schema: {
        tags: ['cameras'],
        summary: 'Change a camera; a redacted URL sent back keeps its stored credentials',
        params: IdParams,
        body: CameraPatchBody,
        response: { 200: CameraBody, ...errors },
      },
    },
    async (request) => {
      checkUrls(request.body);
      const current = await visibleCamera(cameras, request, request.params.id);
      if (request.body.district !== undefined) assertOwnDistrict(request, request.body.district);
      const patch: CameraPatch = { ...request.body };
      if (patch.mainUrl !== undefined) patch.mainUrl = keepStoredCredentials(patch.mainUrl, current.mainUrl);
      if (patch.subUrl) patch.subUrl = keepStoredCredentials(patch.subUrl, current.subUrl);
      const camera = await cameras.update(current.id, patch);
      notify(camera, 'updated');
      // Field names only: the values may hold camera credentials.
      await audit.record(request, {
        action: 'camera.update',
        target: `camera:${camera.id}`,
        outcome: 'success',
        detail: { fields: Object.keys(request.body) },
      });
      const latest = await health.latest([camera.id]);
      return toCameraBody(camera, latest.get(camera.id), await analysisFacts());
    },
  );

  app.delete(
    '/:id',
    {
      config: { access: 'cameras:write' },
      schema: {
        tags: ['cameras'],
        summary: 'Remove a camera; its ingest stops',
        params: IdParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const camera = await visibleCamera(cameras, request, request.params.id);
      await cameras.remove(camera.id);
      notify(camera, 'deleted');
      await audit.record(request, {
        action: 'camera.delete',
        target: `camera:${camera.id}`,
        outcome: 'success',
        detail: { name: camera.name },
      });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/:id/health',
    {
      config: { access: 'cameras:read' },
      schema: {
        tags: ['cameras'],
        summary: 'Health history of a camera (newest first), and whether its analysis can do its job now',
        params: IdParams,
        querystring: Type.Object(
          {
            sinceMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 10080, default: 60 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(CameraHealthBody), analysis: AnalysisHealthBody }),
          ...errors,
        },
      },
    },
    async (request) => {
      const camera = await visibleCamera(cameras, request, request.params.id);
      const sinceMs = Date.now() - (request.query.sinceMinutes ?? 60) * 60_000;
      const items = await health.history(camera.id, sinceMs, request.query.limit ?? 100);
      const { activity } = await analysisFacts();
      return {
        items: items.map((h) => toHealthBody(h, camera.enabled)),
        analysis: analysisHealthBody(activity.get(camera.id), Date.now()),
      };
    },
  );
};
