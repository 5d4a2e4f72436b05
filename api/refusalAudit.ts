// Every refused action (403: the role lacks the permission, another district, an admin's own account) is
// written to the audit log with who asked and for what, so probing shows up where admins look.
import type { FastifyInstance } from 'fastify';
import { isIocError } from '../core/errors.ts';
import type { AuditTrail } from './auditTrail.ts';

export function registerRefusalAudit(app: FastifyInstance, audit: AuditTrail): void {
  app.addHook('onError', async (request, _reply, error) => {
    if (!isIocError(error) || error.statusCode !== 403) return;
    await audit.record(request, {
      action: 'access.refused',
      target: `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`,
      outcome: 'refused',
      detail: { code: error.code, message: error.message, url: request.url.split('?')[0] },
    });
  });
}
