// Who is asking: the roles of the IOC and the principal (a person's session or a machine's API key) that
// every API request and WebSocket message is checked against, declared once for api/ and store/.

export const ROLES = ['admin', 'police', 'transport', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  kind: 'user' | 'apiKey';
  /** users.id or api_keys.id. */
  id: string;
  /** Username, or the API key's name: what the audit log shows. */
  name: string;
  role: Role;
  /** Districts this principal sees; null = the whole province. */
  districts: readonly string[] | null;
  /** A user whose password was set by someone else and not yet changed by them; the pages insist. */
  mustChangePassword?: boolean;
  /** sha256 of the session token, for logout; absent for API keys. */
  sessionHash?: string;
}

export function seesDistrict(principal: Principal, district: string): boolean {
  return principal.districts === null || principal.districts.includes(district);
}
