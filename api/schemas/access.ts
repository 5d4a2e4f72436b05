// Bodies of the access-control routes: login, users, API keys, audit entries. Secrets go in, never out
// (an API key is answered once, at creation; a session token once, at login).
import Type from 'typebox';
import { ROLES } from '../../core/access.ts';

export const Username = Type.String({
  pattern: '^[a-z0-9][a-z0-9._-]{2,63}$',
  description: 'Lower-case letters, digits, . _ -',
});
export const Password = Type.String({ minLength: 12, maxLength: 256, description: 'At least 12 characters' });
/** A login may present any string up to the limit: an old, short password still has to be refused properly. */
export const LoginPassword = Type.String({ minLength: 1, maxLength: 256 });
export const RoleSchema = Type.Enum([...ROLES]);
export const Districts = Type.Union(
  [
    Type.Array(Type.String({ minLength: 1, maxLength: 120, pattern: '^[^\\u0000-\\u001f]+$' }), {
      minItems: 1,
      maxItems: 200,
      uniqueItems: true,
    }),
    Type.Null(),
  ],
  { description: 'Districts seen; null = the whole province' },
);

export const LoginBody = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }), password: LoginPassword },
  { additionalProperties: false },
);

export const PrincipalBody = Type.Object({
  id: Type.String(),
  kind: Type.String({ enum: ['user', 'apiKey'] }),
  name: Type.String(),
  role: RoleSchema,
  districts: Type.Union([Type.Array(Type.String()), Type.Null()]),
  permissions: Type.Array(Type.String()),
  mustChangePassword: Type.Boolean({
    description: 'The password was set by an admin or the config: change it (POST /api/auth/password) first',
  }),
});

export const LoginResponse = Type.Object({ user: PrincipalBody, expiresAt: Type.String({ format: 'date-time' }) });
export const TokenResponse = Type.Object({
  token: Type.String({ description: 'Send as Authorization: Bearer <token>; shown only here' }),
  tokenType: Type.Literal('Bearer'),
  expiresAt: Type.String({ format: 'date-time' }),
  user: PrincipalBody,
});
export const PasswordChangeBody = Type.Object(
  { currentPassword: LoginPassword, newPassword: Password },
  { additionalProperties: false },
);

export const UserBody = Type.Object({
  id: Type.String(),
  username: Type.String(),
  role: RoleSchema,
  districts: Type.Union([Type.Array(Type.String()), Type.Null()]),
  disabled: Type.Boolean(),
  mustChangePassword: Type.Boolean({
    description: 'Set when an admin created the user or reset the password; cleared when the user changes it',
  }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export const UserList = Type.Object({ items: Type.Array(UserBody), total: Type.Integer() });
export const UserCreateBody = Type.Object(
  { username: Username, password: Password, role: RoleSchema, districts: Districts },
  { additionalProperties: false },
);
export const UserPatchBody = Type.Object(
  {
    role: Type.Optional(RoleSchema),
    districts: Type.Optional(Districts),
    disabled: Type.Optional(Type.Boolean()),
    password: Type.Optional(Password),
  },
  { additionalProperties: false, minProperties: 1 },
);

const KeyName = Type.String({ minLength: 1, maxLength: 120, pattern: '^[^\\u0000-\\u001f]+$' });
export const ApiKeyBody = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  districts: Type.Union([Type.Array(Type.String()), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revoked: Type.Boolean(),
});
export const ApiKeyCreated = Type.Object({
  ...ApiKeyBody.properties,
  key: Type.String({ description: 'The key itself, shown only in this answer' }),
});
export const ApiKeyList = Type.Object({ items: Type.Array(ApiKeyBody), total: Type.Integer() });
export const ApiKeyCreateBody = Type.Object(
  { name: KeyName, role: RoleSchema, districts: Districts },
  { additionalProperties: false },
);

export const AuditEntryBody = Type.Object({
  id: Type.String(),
  at: Type.String({ format: 'date-time' }),
  actorKind: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorName: Type.String(),
  action: Type.String(),
  target: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.String(),
  ip: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Record(Type.String(), Type.Unknown()),
});
export const AuditList = Type.Object({ items: Type.Array(AuditEntryBody), total: Type.Integer() });
export const AuditQuerySchema = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Start (inclusive); default 24 h before to' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'End (exclusive); default now' })),
    action: Type.Optional(Type.String({ maxLength: 64, pattern: '^[a-z.]+$' })),
    actor: Type.Optional(Type.String({ maxLength: 120 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  },
  { additionalProperties: false },
);
