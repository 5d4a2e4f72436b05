// An alert as the caller may see it: one of another district answers exactly like one that does not exist
// (404, same code and message), so district scope never leaks which alerts exist elsewhere.
import type { FastifyRequest } from 'fastify';
import type { Alert } from '../core/alerts.ts';
import { seesDistrict } from '../core/access.ts';
import { AlertNotFoundError } from '../core/errors.ts';
import type { AlertActor, AlertStore } from '../store/alerts.ts';
import { principalOf } from './authenticate.ts';

export async function visibleAlert(alerts: AlertStore, request: FastifyRequest, id: string): Promise<Alert> {
  const alert = await alerts.get(id);
  if (!seesDistrict(principalOf(request), alert.district))
    throw new AlertNotFoundError(`alert ${id} not found`, { field: 'id' });
  return alert;
}

/** Who the alert's own history names for this request. */
export function actorOf(request: FastifyRequest): AlertActor {
  const principal = principalOf(request);
  return { kind: principal.kind, name: principal.name };
}
