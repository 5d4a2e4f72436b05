// The analysis setup of a camera: lines, zones and calibration in pixels of the frame drawn on.
import Type from 'typebox';

const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
const Label = Type.String({ minLength: 1, maxLength: 120 });
const Point = Type.Object({ x: Type.Number(), y: Type.Number() }, { additionalProperties: false });

export const CameraAnalysisBody = Type.Object(
  {
    widthPx: Type.Integer({ minimum: 16, maximum: 8192, description: 'Width of the frame the geometry was drawn on' }),
    heightPx: Type.Integer({ minimum: 16, maximum: 8192 }),
    lines: Type.Array(
      Type.Object(
        {
          id: Id,
          name: Type.Optional(Label),
          points: Type.Array(Point, { maxItems: 32 }),
          directions: Type.Optional(
            Type.Object({ leftToRight: Label, rightToLeft: Label }, { additionalProperties: false }),
          ),
          directionNames: Type.Optional(
            Type.Object(
              { leftToRight: Type.Optional(Label), rightToLeft: Type.Optional(Label) },
              {
                additionalProperties: false,
                description:
                  "Display names of the directions ('về phía camera'); the directions themselves stay identifiers in counts and rules",
              },
            ),
          ),
        },
        { additionalProperties: false },
      ),
      { maxItems: 32 },
    ),
    zones: Type.Array(
      Type.Object(
        {
          id: Id,
          name: Type.Optional(Label),
          polygon: Type.Array(Point, { maxItems: 64 }),
          areaM2: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
          // Bounds are checked by analytics/validateGeometry.ts, so the 400 names `zones[i].capacityVehicles`.
          capacityVehicles: Type.Optional(
            Type.Union([
              Type.Number({
                description:
                  'Vehicles the zone holds when full (a whole number, 1 to 10000), for its congestion level; null or absent: no congestion level',
              }),
              Type.Null(),
            ]),
          ),
        },
        { additionalProperties: false },
      ),
      { maxItems: 32 },
    ),
    inputSizePx: Type.Optional(
      Type.Union([
        Type.Object(
          {
            widthPx: Type.Integer({ minimum: 32, maximum: 4096 }),
            heightPx: Type.Integer({ minimum: 32, maximum: 4096 }),
          },
          {
            additionalProperties: false,
            description:
              "Model input size for this camera (one the model accepts, e.g. multiples of 32); null or absent: the deployment's",
          },
        ),
        Type.Null(),
      ]),
    ),
    calibration: Type.Optional(
      Type.Union([
        Type.Object(
          {
            imagePoints: Type.Array(Point, { minItems: 4, maxItems: 4 }),
            groundPoints: Type.Array(Point, { minItems: 4, maxItems: 4, description: 'Metres on the ground plane' }),
          },
          { additionalProperties: false },
        ),
        Type.Null(),
      ]),
    ),
  },
  { additionalProperties: false },
);
