// The identity of a camera's analysis setup: a checkpoint is resumed only by a pipeline built from the
// same geometry, options and snapshot format, so an edited line never inherits counters of the old one.
import { createHash } from 'node:crypto';
import type { CameraAnalysis } from '../core/cameraAnalysis.ts';
import type { CameraPipelineOptions } from '../analytics/cameraPipeline.ts';
import { PIPELINE_SNAPSHOT_VERSION } from '../analytics/pipelineSnapshot.ts';

export function configHash(
  analysis: CameraAnalysis,
  options: CameraPipelineOptions,
  extra: Record<string, unknown> = {},
): string {
  const identity = { snapshotVersion: PIPELINE_SNAPSHOT_VERSION, analysis, options, extra };
  return createHash('sha256').update(stableJson(identity)).digest('hex').slice(0, 32);
}

/** JSON with object keys sorted, so equal values hash equally whatever order their keys were set in. */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}
