// What each role may do, as one table: routes name a permission, never a role, so the matrix test and
// the pages read the same truth. Province-wide permissions also need a principal with no district limit.
import type { Principal, Role } from '../core/access.ts';

export const PERMISSIONS = [
  'cameras:list', // the camera list (the wall)
  'cameras:read', // one camera and its health history
  'cameras:write',
  'video', // HLS playlists and segments
  'frame', // still JPEG of the live view
  'live', // /api/live detection tracks
  'counts', // traffic counts and zone statistics
  'analysis:read',
  'analysis:write',
  'users',
  'apiKeys',
  'audit',
  'metrics',
  'webhooks', // alert webhook subscriptions, their secrets and deliveries
  'alerts:read', // the alert feed, one alert with its history
  'alerts:write', // acknowledge, resolve, dismiss, assign, note
  'alerts:evidence', // an alert's snapshot and clip
  'alertRules:write', // a camera's alert rules
  'reports:read', // archived reports of the reader's districts (province reports need the whole province)
  'reports:make', // make a report on demand
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** How a route is reached: 'public' (no login), 'authenticated' (any role), or one permission. */
export type Access = 'public' | 'authenticated' | Permission;

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  police: [
    'cameras:list',
    'cameras:read',
    'video',
    'frame',
    'live',
    'alerts:read',
    'alerts:write',
    'alerts:evidence',
    'reports:read',
    'reports:make',
  ],
  // Transport staff follow congestion and camera problems too, without acting on alerts.
  transport: [
    'cameras:list',
    'cameras:read',
    'video',
    'frame',
    'live',
    'counts',
    'alerts:read',
    'reports:read',
    'reports:make',
  ],
  viewer: ['cameras:list', 'video'],
};

/**
 * Managing people, keys and the audit log is for admins of the whole province, not of one district; so are
 * webhooks, which may carry every district's alerts out of the IOC.
 */
const PROVINCE_WIDE: ReadonlySet<Permission> = new Set(['users', 'apiKeys', 'audit', 'metrics', 'webhooks']);

export function permissionsOf(principal: Principal): Permission[] {
  return GRANTS[principal.role].filter((p) => !PROVINCE_WIDE.has(p) || principal.districts === null);
}

export function allows(principal: Principal, permission: Permission): boolean {
  return permissionsOf(principal).includes(permission);
}
