// Who is calling: the session cookie (pages), an Authorization: Bearer session token (API clients) or an
// API key (x-api-key or Bearer iock_…), resolved once per request; then the route's `access` is enforced
// before the body is even parsed, so an anonymous caller learns nothing from validation errors.
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../core/access.ts';
import { AuthRequiredError, ForbiddenError, PasswordChangeRequiredError } from '../core/errors.ts';
import type { SessionStore } from '../store/sessions.ts';
import { allows, type Access } from './permissions.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    access?: Access;
    /** Open to a user who must still change the password: changing it, who-am-I and logout. */
    beforePasswordChange?: boolean;
  }
}

export const SESSION_COOKIE = 'ioc_session';
export const API_KEY_PREFIX = 'iock_';

/** 256 random bits, URL-safe; the caller keeps it, the store keeps only its sha256. */
export function newSecret(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The secret a request presents, and what kind it is. */
export function presentedSecret(request: FastifyRequest): { kind: 'session' | 'apiKey'; secret: string } | null {
  const apiKey = request.headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey.length > 0) return { kind: 'apiKey', secret: apiKey };
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string' && /^bearer /i.test(authorization)) {
    const token = authorization.slice(7).trim();
    return { kind: token.startsWith(API_KEY_PREFIX) ? 'apiKey' : 'session', secret: token };
  }
  const cookie = cookieValue(request.headers.cookie, SESSION_COOKIE);
  return cookie ? { kind: 'session', secret: cookie } : null;
}

/** Longest secret looked up: anything longer is no token of ours and costs no hashing. */
const MAX_SECRET_CHARS = 200;

export async function resolvePrincipal(request: FastifyRequest, sessions: SessionStore): Promise<Principal | null> {
  const presented = presentedSecret(request);
  if (!presented || presented.secret.length > MAX_SECRET_CHARS) return null;
  const hash = hashSecret(presented.secret);
  return presented.kind === 'apiKey' ? sessions.principalOfApiKey(hash) : sessions.principalOf(hash);
}

/** Fails a request the principal may not make: 401 without one, 403 when the role lacks the permission. */
export function enforceAccess(access: Access, principal: Principal | null): void {
  if (access === 'public') return;
  if (!principal) throw new AuthRequiredError('log in first (session cookie, bearer token or API key)');
  if (access === 'authenticated') return;
  if (!allows(principal, access)) throw new ForbiddenError(`role ${principal.role} may not do this (${access})`);
}

/**
 * A password someone else chose opens nothing but its own change: the pages insist, and so does the API, so a
 * script holding that session cannot skip it. API keys have no password and are never held back.
 */
export function enforcePasswordChange(access: Access, principal: Principal | null, allowedBefore: boolean): void {
  if (access === 'public' || allowedBefore || principal?.kind !== 'user' || principal.mustChangePassword !== true)
    return;
  throw new PasswordChangeRequiredError(
    'change your password first (POST /api/auth/password): it was set by an administrator or the configuration',
  );
}

/** The route prefixes that must never answer without an explicit access rule. */
const GUARDED = /^\/(api|hls|metrics)(\/|$)/;

export function registerAuthentication(app: FastifyInstance, sessions: SessionStore): void {
  app.decorateRequest('principal', null);
  app.addHook('onRoute', (route) => {
    if (GUARDED.test(route.url) && !route.config?.access) {
      throw new Error(`route ${route.method} ${route.url} has no access rule (config.access)`);
    }
  });
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    if (!access) return; // static pages, docs: public by construction
    request.principal = await resolvePrincipal(request, sessions);
    enforceAccess(access, request.principal);
    enforcePasswordChange(access, request.principal, request.routeOptions.config.beforePasswordChange === true);
  });
  // A refused WebSocket upgrade (401/403 above) is answered before @fastify/websocket's own onRequest hook has
  // marked it, so nothing else ends its socket: left open, it would hold the server's close for ever. An
  // accepted upgrade is hijacked and never reaches onResponse.
  app.addHook('onResponse', async (request) => {
    if (request.headers.upgrade?.toLowerCase() === 'websocket') request.raw.socket?.destroy();
  });
}

/** The principal of a route that required one (enforceAccess ran). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AuthRequiredError('log in first');
  return request.principal;
}
