// Schemas shared by every route: the one error body, ids, paging.
import Type from 'typebox';

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable machine code, e.g. IOC_CAMERA_NOT_FOUND' }),
      message: Type.String(),
      field: Type.Optional(Type.String({ description: 'The body field, query or path parameter at fault' })),
      problems: Type.Optional(
        Type.Array(Type.Object({ field: Type.String(), code: Type.String(), message: Type.String() }), {
          description: 'Every problem found, when a whole document was checked (e.g. a camera setup)',
        }),
      ),
    }),
  },
  { $id: 'ErrorBody' },
);

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

export const PageQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  },
  { additionalProperties: false },
);

export const errorResponses = {
  400: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
} as const;
