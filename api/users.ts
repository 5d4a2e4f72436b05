// /api/users: province-wide admins create people with a role and districts, change them, disable or
// remove them. A change of role, districts, password or state ends the person's open sessions.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { ForbiddenError } from '../core/errors.ts';
import type { User } from '../store/users.ts';
import type { AccessServices } from './accessServices.ts';
import { principalOf } from './authenticate.ts';
import { ErrorBody, IdParams, PageQuery } from './schemas/common.ts';
import { UserBody, UserCreateBody, UserList, UserPatchBody } from './schemas/access.ts';

export function toUserBody(user: User) {
  return {
    id: user.id,
    username: user.username,
    role: user.role,
    districts: user.districts,
    disabled: user.disabled,
    mustChangePassword: user.mustChangePassword,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}

export const usersPlugin: FastifyPluginAsyncTypebox<{ services: AccessServices }> = async (app, { services }) => {
  const { users, sessions, hasher, audit } = services;
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
  const config = { access: 'users' as const };

  app.get(
    '/',
    {
      config,
      schema: {
        tags: ['users'],
        summary: 'List users',
        querystring: PageQuery,
        response: { 200: UserList, ...errors },
      },
    },
    async (request) => {
      const page = await users.list(request.query.limit ?? 100, request.query.offset ?? 0);
      return { items: page.items.map(toUserBody), total: page.total };
    },
  );

  app.get(
    '/:id',
    {
      config,
      schema: { tags: ['users'], summary: 'One user', params: IdParams, response: { 200: UserBody, ...errors } },
    },
    async (request) => toUserBody(await users.get(request.params.id)),
  );

  app.post(
    '/',
    {
      config,
      schema: {
        tags: ['users'],
        summary: 'Create a user',
        body: UserCreateBody,
        response: { 201: UserBody, ...errors },
      },
    },
    async (request, reply) => {
      const { username, password, role, districts } = request.body;
      // The admin chose this password: the person changes it at first login.
      const user = await users.create({
        username,
        role,
        districts,
        passwordHash: await hasher.hash(password),
        mustChangePassword: true,
      });
      await audit.record(request, {
        action: 'user.create',
        target: `user:${username}`,
        outcome: 'success',
        detail: { role, districts },
      });
      return reply.status(201).send(toUserBody(user));
    },
  );

  app.patch(
    '/:id',
    {
      config,
      schema: {
        tags: ['users'],
        summary: 'Change role, districts, state or password of a user',
        params: IdParams,
        body: UserPatchBody,
        response: { 200: UserBody, ...errors },
      },
    },
    async (request) => {
      const { password, ...rest } = request.body;
      if (
        request.params.id === principalOf(request).id &&
        (rest.disabled === true || (rest.role !== undefined && rest.role !== 'admin'))
      ) {
        throw new ForbiddenError('an admin cannot disable or demote their own account');
      }
      const user = await users.update(request.params.id, {
        ...rest,
        passwordHash: password === undefined ? undefined : await hasher.hash(password),
        mustChangePassword: password === undefined ? undefined : true,
      });
      await sessions.revokeAllOf(user.id);
      await audit.record(request, {
        action: 'user.update',
        target: `user:${user.username}`,
        outcome: 'success',
        detail: { fields: Object.keys(request.body) },
      });
      return toUserBody(user);
    },
  );

  app.delete(
    '/:id',
    {
      config,
      schema: {
        tags: ['users'],
        summary: 'Remove a user; their sessions end',
        params: IdParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      if (request.params.id === principalOf(request).id)
        throw new ForbiddenError('an admin cannot remove their own account');
      const user = await users.get(request.params.id);
      await users.remove(user.id);
      await audit.record(request, { action: 'user.delete', target: `user:${user.username}`, outcome: 'success' });
      return reply.status(204).send(null);
    },
  );
};
