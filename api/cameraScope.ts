// A camera as the caller may see it: one of another district answers exactly like one that does not
// exist (404, same code and message), so district scope never leaks which cameras exist elsewhere.
import type { FastifyRequest } from 'fastify';
import type { Camera } from '../core/camera.ts';
import { seesDistrict } from '../core/access.ts';
import { CameraNotFoundError, ForbiddenError } from '../core/errors.ts';
import type { CameraRepository } from '../store/cameras.ts';
import { principalOf } from './authenticate.ts';

export async function visibleCamera(cameras: CameraRepository, request: FastifyRequest, id: string): Promise<Camera> {
  const camera = await cameras.get(id);
  if (!seesDistrict(principalOf(request), camera.district))
    throw new CameraNotFoundError(`camera ${id} not found`, { field: 'id' });
  return camera;
}

/** The districts filter of a list query: the caller's own (undefined = all, the whole province). */
export function districtFilter(request: FastifyRequest): readonly string[] | undefined {
  return principalOf(request).districts ?? undefined;
}

/** A district the caller is placing a camera into must be one of theirs (they named it: no leak in a 403). */
export function assertOwnDistrict(request: FastifyRequest, district: string): void {
  if (!seesDistrict(principalOf(request), district)) {
    throw new ForbiddenError(`district ${district} is outside your districts`, { field: 'district' });
  }
}
