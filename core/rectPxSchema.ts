// core/geometry.ts's RectPx as a schema, for the boundary types that carry rectangles (a frame job's motion,
// a result's analysed regions).
import Type from 'typebox';

export const RectPxSchema = Type.Object({
  x: Type.Number(),
  y: Type.Number(),
  widthPx: Type.Number({ minimum: 0 }),
  heightPx: Type.Number({ minimum: 0 }),
});
