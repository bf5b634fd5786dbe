import type { z } from 'zod';

/**
 * How a route knows its caller. Machines carry bearer tokens (stored hashed at the portal); people
 * sign in and carry a session cookie.
 */
export enum RouteAuth {
  /** A kiosk's bearer token. */
  Kiosk = 'kiosk',
  /**
   * A member of staff: the session cookie of a signed-in person (with the CSRF token on every
   * write), or a staff API key as a bearer token for machine clients of the counter API.
   */
  Staff = 'staff',
  /** A hall display's bearer token. */
  Display = 'display',
  None = 'none',
}

/** Staff roles, each allowed what the one before it may do. */
export enum StaffRole {
  Clerk = 'clerk',
  Manager = 'manager',
  Admin = 'admin',
}

export const STAFF_ROLE_RANK: Readonly<Record<StaffRole, number>> = {
  [StaffRole.Clerk]: 0,
  [StaffRole.Manager]: 1,
  [StaffRole.Admin]: 2,
};

export function roleAtLeast(role: StaffRole, minimum: StaffRole): boolean {
  return STAFF_ROLE_RANK[role] >= STAFF_ROLE_RANK[minimum];
}

/**
 * One HTTP route of a contract: the portal registers it, validates with its schemas and
 * generates the OpenAPI document from it; clients parse answers with the same schemas.
 */
export interface RouteSpec {
  method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI-style path, `{ticketId}` for parameters. */
  path: string;
  auth: RouteAuth;
  /** For `RouteAuth.Staff`: the least role allowed (default clerk). */
  minRole?: StaffRole;
  summary: string;
  request: z.ZodType | null;
  response: z.ZodType;
  /** Path parameters, one key per `{name}` in `path`; parsed before the handler sees them. */
  params?: z.ZodObject;
  /** Query string parameters (a repeated one keeps its last value). */
  query?: z.ZodObject;
}
