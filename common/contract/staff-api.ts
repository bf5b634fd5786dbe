import { z } from 'zod';
import { LocalizedText } from './catalog.js';
import { StaffId } from './counter-api.js';
import { RouteAuth, StaffRole, type RouteSpec } from './route-spec.js';

/**
 * Staff sign-in. A person signs in with a password and gets a session: an httpOnly, SameSite=Strict
 * cookie (`hk_session`) the portal keeps server-side, and a CSRF token the page sends back as
 * `X-CSRF-Token` on every write. Machine clients use a staff API key (bearer) instead.
 */

export const SESSION_COOKIE = 'hk_session';
export const CSRF_HEADER = 'x-csrf-token';

export const HallId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/);
export const Username = z.string().regex(/^[a-z0-9][a-z0-9._-]{1,31}$/, 'username: 2-32 lowercase letters, digits, . _ -');
/** Long enough to resist guessing; the lockout does the rest. */
export const Password = z.string().min(10).max(200);

export const StaffView = z.object({
  hallId: HallId,
  staffId: StaffId,
  username: Username,
  displayName: z.string().min(1).max(64),
  role: z.enum(StaffRole),
});
export type StaffView = z.infer<typeof StaffView>;

export const SignInRequest = z.object({ hallId: HallId, username: Username, password: z.string().min(1).max(200) });
export type SignInRequest = z.infer<typeof SignInRequest>;

export const SessionResponse = z.object({
  staff: StaffView,
  csrfToken: z.string().min(16).max(128),
  expiresAt: z.iso.datetime(),
});
export type SessionResponse = z.infer<typeof SessionResponse>;

export const SignedOutResponse = z.object({ signedOut: z.literal(true) });

export const PublicHall = z.object({ hallId: HallId, name: LocalizedText });
export const PublicHallsResponse = z.object({ halls: z.array(PublicHall) });

export const staffRoutes = {
  halls: {
    method: 'get', path: '/v1/public/halls', auth: RouteAuth.None,
    summary: 'Halls one can sign in to (for the sign-in page)', request: null, response: PublicHallsResponse,
  },
  signIn: {
    method: 'post', path: '/v1/staff/sign-in', auth: RouteAuth.None,
    summary: 'Sign in with a password; sets the session cookie', request: SignInRequest, response: SessionResponse,
  },
  session: {
    method: 'get', path: '/v1/staff/session', auth: RouteAuth.Staff,
    summary: 'The signed-in member of staff and the CSRF token of the session', request: null, response: SessionResponse,
  },
  signOut: {
    method: 'post', path: '/v1/staff/sign-out', auth: RouteAuth.Staff,
    summary: 'End the session', request: null, response: SignedOutResponse,
  },
} as const satisfies Record<string, RouteSpec>;
