// The "frames" queue's job data as a schema: the sink (inference/frameSink.ts) writes it, the worker checks
// every job against it with the compiled checker before reading anything. The JPEG is not in it: the sink
// stores it once in Redis (core/redis.ts redisKeys.frame of cameraId and seq) and the worker reads it there.
import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { RectPxSchema } from './rectPxSchema.ts';

export const FrameJobSchema = Type.Object({
  cameraId: Type.String({ minLength: 1 }),
  seq: Type.Integer(),
  /** Capture time, UTC epoch milliseconds. */
  capturedAtMs: Type.Number(),
  widthPx: Type.Integer({ exclusiveMinimum: 0 }),
  heightPx: Type.Integer({ exclusiveMinimum: 0 }),
  /** When the sink queued it; absent from jobs queued by an older sink (the worker then uses its own clock). */
  enqueuedAtMs: Type.Optional(Type.Number()),
  /** Bytes of the JPEG stored under redisKeys.frame(prefix, cameraId, seq): a JPEG of another size is not this frame. */
  jpegBytes: Type.Integer({ minimum: 0 }),
  /**
   * Where the picture moved since the camera's previous frames (source pixels; [] = nothing moved), found by
   * ingest when motion gating is on. Absent: not looked for, or the whole picture changed; the plan runs as it is.
   */
  motion: Type.Optional(Type.Array(RectPxSchema, { maxItems: 256 })),
});
export type FrameJobData = Static<typeof FrameJobSchema>;

/** Compiled once: a check per frame costs tens of nanoseconds (bench/boundaryChecks.ts). */
export const frameJobCheck = Compile(FrameJobSchema);

/** The fields of job data that do not fit the schema, named once each, in the schema's order. */
export function frameJobProblems(data: unknown): string[] {
  const fields = new Set<string>();
  for (const issue of frameJobCheck.Errors(data)) {
    const missing = (issue.params as { requiredProperties?: string[] }).requiredProperties;
    for (const field of missing ?? [issue.instancePath.split('/')[1] ?? '']) if (field) fields.add(field);
  }
  return Object.keys(FrameJobSchema.properties).filter((field) => fields.has(field));
}
