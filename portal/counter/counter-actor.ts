import { StaffRole, roleAtLeast } from '../../common/contract/route-spec.js';
import type { AuditActor } from '../staff/audit.js';

/**
 * Who acts at the counter: the staff principal of the request (portal/auth/principals.ts), a
 * person signed in with a session or a machine client with a staff API key. The principal
 * decides the hall; nothing in a request body does.
 */
export interface CounterActor {
  hallId: string;
  staffId: string;
  role: StaffRole;
  via: 'session' | 'api-key';
}

/**
 * The staff id a clerk's reach is limited to, or null for a manager and above. A clerk acts only
 * on tickets at the counters signed in under their own staff id (a person: the one counter of
 * their session; a staff API key: the counters it signed in at); a manager acts on any counter of
 * the hall.
 */
export function clerkScope(actor: CounterActor): string | null {
  return roleAtLeast(actor.role, StaffRole.Manager) ? null : actor.staffId;
}

export function auditActorOf(actor: CounterActor): AuditActor {
  return { kind: 'staff', id: actor.staffId };
}
