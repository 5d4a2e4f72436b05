// A clip's hand-made ground truth (harness/truth/FORMAT.md): its schema, and the checks a loaded file must
// pass before anything is scored against it. A bad file is a ValidationError naming the field.
import { readFileSync } from 'node:fs';
import Type, { type Static } from 'typebox';
import Value from 'typebox/value';
import { TRAFFIC_CLASSES } from '../core/detections.ts';
import { ValidationError } from '../core/errors.ts';

const strict = { additionalProperties: false } as const;
const Point = Type.Object({ x: Type.Number(), y: Type.Number() }, strict);
const ClassName = Type.Enum(TRAFFIC_CLASSES);
const Slug = Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$' });
const Range = {
  count: Type.Integer({ minimum: 0 }),
  min: Type.Integer({ minimum: 0 }),
  max: Type.Integer({ minimum: 0 }),
};
const Rect = Type.Object(
  {
    x: Type.Number(),
    y: Type.Number(),
    widthPx: Type.Number({ exclusiveMinimum: 0 }),
    heightPx: Type.Number({ exclusiveMinimum: 0 }),
  },
  strict,
);

export const TruthSchema = Type.Object(
  {
    clip: Type.String({ minLength: 1 }),
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    frameSizePx: Type.Object({ widthPx: Type.Integer({ minimum: 1 }), heightPx: Type.Integer({ minimum: 1 }) }, strict),
    lines: Type.Array(
      Type.Object(
        {
          id: Slug,
          name: Type.Optional(Type.String()),
          points: Type.Array(Point, { minItems: 2 }),
          directions: Type.Object({ leftToRight: Slug, rightToLeft: Slug }, strict),
        },
        strict,
      ),
    ),
    counts: Type.Array(Type.Object({ lineId: Slug, direction: Slug, className: ClassName, ...Range }, strict)),
    crossings: Type.Optional(
      Type.Array(
        Type.Object(
          {
            lineId: Slug,
            direction: Slug,
            className: ClassName,
            timeS: Type.Number({ minimum: 0 }),
            sure: Type.Optional(Type.Boolean()),
            /** The vehicle's x as it crosses, in the clip's pixels: tells riders crossing within a second apart. */
            xPx: Type.Optional(Type.Number({ minimum: 0 })),
            note: Type.Optional(Type.String()),
          },
          strict,
        ),
      ),
    ),
    zones: Type.Optional(
      Type.Array(
        Type.Object(
          {
            id: Slug,
            name: Type.Optional(Type.String()),
            polygon: Type.Array(Point, { minItems: 3 }),
            occupancy: Type.Array(
              Type.Object({ timeS: Type.Number({ minimum: 0 }), className: ClassName, ...Range }, strict),
            ),
          },
          strict,
        ),
      ),
    ),
    frames: Type.Optional(
      Type.Array(
        Type.Object(
          {
            timeS: Type.Number({ minimum: 0 }),
            region: Rect,
            boxes: Type.Array(
              Type.Object(
                { className: ClassName, box: Type.Array(Type.Number(), { minItems: 4, maxItems: 4 }) },
                strict,
              ),
            ),
          },
          strict,
        ),
      ),
    ),
    /** Free text for a person reading the file (how it was made is in the .md beside it). */
    note: Type.Optional(Type.String()),
  },
  strict,
);

export type ClipTruth = Static<typeof TruthSchema>;
export type TruthCount = ClipTruth['counts'][number];

/** Reads and checks a truth file; the error names the file and the field. */
export function loadTruth(path: string): ClipTruth {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ValidationError(`${path}: not readable JSON (${(err as Error).message})`, { field: 'truth' });
  }
  return validateTruth(parsed, path);
}

export function validateTruth(input: unknown, source = 'truth'): ClipTruth {
  const errors = [...Value.Errors(TruthSchema, input)].filter((e) => e.keyword !== 'boolean' && e.keyword !== 'anyOf');
  if (errors.length > 0) {
    const first = errors[0]!;
    const field = fieldName(first.instancePath, first.params);
    const what =
      first.keyword === 'additionalProperties'
        ? 'unknown field'
        : first.keyword === 'enum'
          ? `must be one of ${TRAFFIC_CLASSES.join(', ')}`
          : first.message;
    throw new ValidationError(`${source}: ${field}: ${what}`, { field });
  }
  const truth = input as ClipTruth;
  crossCheck(truth, source);
  return truth;
}

function crossCheck(truth: ClipTruth, source: string): void {
  const fail = (field: string, message: string): never => {
    throw new ValidationError(`${source}: ${field}: ${message}`, { field });
  };
  const { widthPx, heightPx } = truth.frameSizePx;
  const onFrame = (p: { x: number; y: number }) => p.x >= 0 && p.y >= 0 && p.x <= widthPx && p.y <= heightPx;
  const lineIds = new Set<string>();
  truth.lines.forEach((line, i) => {
    if (lineIds.has(line.id)) fail(`lines[${i}].id`, `duplicate line id "${line.id}"`);
    lineIds.add(line.id);
    line.points.forEach((p, j) => {
      if (!onFrame(p)) fail(`lines[${i}].points[${j}]`, `(${p.x}, ${p.y}) is off the ${widthPx}x${heightPx} frame`);
    });
    if (line.directions.leftToRight === line.directions.rightToLeft)
      fail(`lines[${i}].directions`, 'the two directions need different names');
  });
  const directionsOf = new Map(truth.lines.map((l) => [l.id, [l.directions.leftToRight, l.directions.rightToLeft]]));
  const seen = new Set<string>();
  const checkLineRef = (field: string, lineId: string, direction: string) => {
    const directions = directionsOf.get(lineId);
    if (!directions) fail(`${field}.lineId`, `no line "${lineId}" in lines`);
    if (!directions!.includes(direction))
      fail(`${field}.direction`, `line "${lineId}" has directions ${directions!.join(' and ')}, not "${direction}"`);
  };
  truth.counts.forEach((c, i) => {
    checkLineRef(`counts[${i}]`, c.lineId, c.direction);
    if (!(c.min <= c.count && c.count <= c.max))
      fail(`counts[${i}]`, `needs min ≤ count ≤ max (${c.min} ≤ ${c.count} ≤ ${c.max})`);
    const key = `${c.lineId}/${c.direction}/${c.className}`;
    if (seen.has(key)) fail(`counts[${i}]`, `${key} is listed twice`);
    seen.add(key);
  });
  (truth.crossings ?? []).forEach((c, i) => checkLineRef(`crossings[${i}]`, c.lineId, c.direction));
  (truth.zones ?? []).forEach((zone, i) => {
    zone.polygon.forEach((p, j) => {
      if (!onFrame(p)) fail(`zones[${i}].polygon[${j}]`, `(${p.x}, ${p.y}) is off the ${widthPx}x${heightPx} frame`);
    });
    zone.occupancy.forEach((o, j) => {
      if (!(o.min <= o.count && o.count <= o.max))
        fail(`zones[${i}].occupancy[${j}]`, `needs min ≤ count ≤ max (${o.min} ≤ ${o.count} ≤ ${o.max})`);
    });
  });
  (truth.frames ?? []).forEach((frame, i) => {
    const r = frame.region;
    if (r.x < 0 || r.y < 0 || r.x + r.widthPx > widthPx || r.y + r.heightPx > heightPx)
      fail(`frames[${i}].region`, `is off the ${widthPx}x${heightPx} frame`);
    frame.boxes.forEach((b, j) => {
      const [x1, y1, x2, y2] = b.box as [number, number, number, number];
      if (!(x1 < x2 && y1 < y2)) fail(`frames[${i}].boxes[${j}].box`, 'needs x1 < x2 and y1 < y2');
      if (!onFrame({ x: x1, y: y1 }) || !onFrame({ x: x2, y: y2 }))
        fail(`frames[${i}].boxes[${j}].box`, `is off the ${widthPx}x${heightPx} frame`);
    });
  });
}

/** `/counts/0/className` → `counts[0].className`; a missing property is named too. */
function fieldName(instancePath: string, params: unknown): string {
  const parts = instancePath.split('/').filter(Boolean);
  const missing = (params as { requiredProperties?: string[] }).requiredProperties;
  if (missing?.length) parts.push(missing[0]!);
  const extra = (params as { additionalProperties?: string[] }).additionalProperties;
  if (extra?.length) parts.push(extra[0]!);
  return (
    parts.reduce((name, part) => (/^\d+$/.test(part) ? `${name}[${part}]` : name ? `${name}.${part}` : part), '') ||
    'truth'
  );
}

/** The truth's lines and zones as a camera analysis drawn on the clip's own frame. */
export function truthAnalysis(truth: ClipTruth) {
  return {
    widthPx: truth.frameSizePx.widthPx,
    heightPx: truth.frameSizePx.heightPx,
    lines: truth.lines.map((l) => ({ id: l.id, name: l.name, points: l.points, directions: l.directions })),
    zones: (truth.zones ?? []).map((z) => ({ id: z.id, name: z.name, polygon: z.polygon })),
    calibration: null,
  };
}
