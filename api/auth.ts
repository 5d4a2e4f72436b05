// /api/auth: login (session cookie for the pages, bearer token for API clients), logout that revokes the
// session server-side, who-am-I, and password change. Attempts are reserved per account before the
// password is checked: past the limit a login is refused unchecked and the account locks for a while.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Principal } from '../core/access.ts';
import { ForbiddenError, LoginFailedError, LoginLockedError, ValidationError } from '../core/errors.ts';
import type { User } from '../store/users.ts';
import type { AccessServices } from './accessServices.ts';
import { hashSecret, newSecret, principalOf, SESSION_COOKIE } from './authenticate.ts';
import { permissionsOf } from './permissions.ts';
import { ErrorBody } from './schemas/common.ts';
import { LoginBody, LoginResponse, PasswordChangeBody, PrincipalBody, TokenResponse } from './schemas/access.ts';

export function principalBody(principal: Principal) {
  return {
    id: principal.id,
    kind: principal.kind,
    name: principal.name,
    role: principal.role,
    districts: principal.districts === null ? null : [...principal.districts],
    permissions: permissionsOf(principal),
    mustChangePassword: principal.mustChangePassword === true,
  };
}

function userPrincipal(user: User): Principal {
  return {
    kind: 'user',
    id: user.id,
    name: user.username,
    role: user.role,
    districts: user.districts,
    mustChangePassword: user.mustChangePassword,
  };
}

export const authPlugin: FastifyPluginAsyncTypebox<{ services: AccessServices }> = async (app, { services }) => {
  const { users, sessions, throttle, hasher, audit } = services;
  const loginErrors = { 400: ErrorBody, 401: ErrorBody, 429: ErrorBody };

  /** Checks a login and opens a session; every outcome is audited, the password never is. */
  async function login(request: FastifyRequest, reply: FastifyReply, username: string, password: string) {
    const verdict = await throttle.reserve(username);
    if (!verdict.allowed) {
      const named = (await users.findForLogin(username)) ? username : '(unknown)';
      await audit.record(request, {
        actor: null,
        actorName: named,
        action: 'login',
        target: `user:${named}`,
        outcome: 'refused',
        detail: { reason: 'locked' },
      });
      reply.header('retry-after', String(Math.max(1, Math.ceil((verdict.lockedUntil.getTime() - Date.now()) / 1000))));
      throw new LoginLockedError('too many login attempts for this account; try again later');
    }
    const found = await users.findForLogin(username);
    const ok = await hasher.verify(password, found?.passwordHash ?? null);
    if (!ok || !found || found.user.disabled) {
      // A name no account has is not written down: it is often a password typed into the wrong field.
      const named = found ? username : '(unknown)';
      await audit.record(request, {
        actor: null,
        actorName: named,
        action: 'login',
        target: `user:${named}`,
        outcome: 'failure',
        detail: { reason: !found ? 'unknown user' : ok ? 'disabled' : 'wrong password' },
      });
      throw new LoginFailedError('wrong username or password');
    }
    await throttle.clear(username);
    const token = newSecret();
    const expiresAt = await sessions.create(hashSecret(token), found.user.id);
    const principal = userPrincipal(found.user);
    await audit.record(request, { actor: principal, action: 'login', target: `user:${username}`, outcome: 'success' });
    return { token, expiresAt, principal };
  }

  app.post(
    '/login',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Log in for the pages: sets an HttpOnly, SameSite=Strict session cookie',
        body: LoginBody,
        response: { 200: LoginResponse, ...loginErrors },
      },
    },
    async (request, reply) => {
      const { token, expiresAt, principal } = await login(request, reply, request.body.username, request.body.password);
      const attributes = [
        'Path=/',
        'HttpOnly',
        'SameSite=Strict',
        `Max-Age=${Math.floor(services.sessionMaxMs / 1000)}`,
      ];
      if (services.cookieSecure) attributes.push('Secure');
      reply.header('set-cookie', `${SESSION_COOKIE}=${token}; ${attributes.join('; ')}`);
      return { user: principalBody(principal), expiresAt: expiresAt.toISOString() };
    },
  );

  app.post(
    '/token',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Log in for an API client: answers a bearer token (same session rules as the cookie)',
        body: LoginBody,
        response: { 200: TokenResponse, ...loginErrors },
      },
    },
    async (request, reply) => {
      const { token, expiresAt, principal } = await login(request, reply, request.body.username, request.body.password);
      return {
        token,
        tokenType: 'Bearer' as const,
        expiresAt: expiresAt.toISOString(),
        user: principalBody(principal),
      };
    },
  );

  app.post(
    '/logout',
    {
      config: { access: 'authenticated', beforePasswordChange: true },
      schema: {
        tags: ['auth'],
        summary: 'End this session (cookie or bearer token) at once',
        response: { 204: Type.Null(), 401: ErrorBody },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (principal.sessionHash) await sessions.revoke(principal.sessionHash);
      await audit.record(request, { action: 'logout', target: `user:${principal.name}`, outcome: 'success' });
      const secure = services.cookieSecure ? '; Secure' : '';
      return reply
        .header('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure}`)
        .status(204)
        .send(null);
    },
  );

  app.get(
    '/me',
    {
      config: { access: 'authenticated', beforePasswordChange: true },
      schema: {
        tags: ['auth'],
        summary: 'Who is logged in, with role, districts and permissions',
        response: { 200: PrincipalBody, 401: ErrorBody },
      },
    },
    async (request) => principalBody(principalOf(request)),
  );

  app.post(
    '/password',
    {
      config: { access: 'authenticated', beforePasswordChange: true },
      schema: {
        tags: ['auth'],
        summary: 'Change your own password; every other session of yours ends',
        body: PasswordChangeBody,
        response: { 204: Type.Null(), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 429: ErrorBody },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (principal.kind !== 'user') throw new ForbiddenError('an API key has no password');
      // The current password is a login in all but name: the same attempt limit guards it.
      const verdict = await throttle.reserve(principal.name);
      if (!verdict.allowed) throw new LoginLockedError('too many attempts for this account; try again later');
      if (!(await hasher.verify(request.body.currentPassword, await users.passwordHashOf(principal.id)))) {
        await audit.record(request, {
          action: 'password.change',
          target: `user:${principal.name}`,
          outcome: 'failure',
        });
        throw new LoginFailedError('the current password is wrong', { field: 'currentPassword' });
      }
      await throttle.clear(principal.name);
      if (request.body.newPassword === request.body.currentPassword) {
        throw new ValidationError('the new password must differ from the current one', { field: 'newPassword' });
      }
      await users.update(principal.id, {
        passwordHash: await hasher.hash(request.body.newPassword),
        mustChangePassword: false,
      });
      await sessions.revokeAllOf(principal.id, principal.sessionHash);
      await audit.record(request, { action: 'password.change', target: `user:${principal.name}`, outcome: 'success' });
      return reply.status(204).send(null);
    },
  );
};
