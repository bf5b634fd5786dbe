import type pg from 'pg';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { PortalError } from '../http/portal-error.js';
import { clerkScope, type CounterActor } from './counter-actor.js';
import { allowedAtCounter } from './counter-config.js';
import { counterStateOf, lockCounter, readCounter, type CounterWithTicket, type LockedCounter } from './counter-row.js';

/**
 * Counters: sign in (choosing services), sign out, pause, resume. Every change locks the counter
 * row first (counter-row.ts `lockCounter`), the same lock calls take, so a call never slips past
 * a pause or a sign-out. A counter's state is derived (signed-out, paused, busy, idle).
 */

/** What a counter change did, for the audit line and the `counter.updated` event. */
export interface CounterChange {
  before: CounterWithTicket;
  after: CounterWithTicket;
  /** The person's other counter this sign-in signed out of, if any. */
  left: CounterWithTicket | null;
}

function notFound(counterId: string): PortalError {
  return new PortalError(PortalErrorCode.NotFound, `counter ${counterId} not found`);
}

/** The counter, locked; 404 for an unknown or disabled one. */
export async function lockEnabledCounter(client: pg.PoolClient, hallId: string, counterId: string): Promise<LockedCounter> {
  const counter = await lockCounter(client, hallId, counterId);
  if (!counter?.counter.enabled) throw notFound(counterId);
  return counter;
}

/** A clerk may drive only a counter signed in under their own staff id; a manager, any. */
export function assertMayDrive(actor: CounterActor, c: CounterWithTicket): void {
  const scope = clerkScope(actor);
  if (scope !== null && c.counter.staff_id !== scope) {
    throw new PortalError(PortalErrorCode.Forbidden, `counter ${c.counter.counter_id} is not signed in under ${actor.staffId}`);
  }
}

/**
 * The counter a call goes to, locked and checked: enabled, signed in, the actor's own (a
 * clerk's), not paused. Whether it is free is the caller's business (call-next may first turn an
 * over-called ticket into a no-show).
 */
export async function lockCounterForCall(client: pg.PoolClient, actor: CounterActor, counterId: string): Promise<LockedCounter> {
  const c = await lockEnabledCounter(client, actor.hallId, counterId);
  if (c.counter.staff_id === null) {
    throw new PortalError(PortalErrorCode.CounterSignedOut, `nobody is signed in at counter ${counterId}`);
  }
  assertMayDrive(actor, c);
  if (c.counter.paused) throw new PortalError(PortalErrorCode.CounterPaused, `counter ${counterId} is paused`);
  return c;
}

export function counterBusy(c: CounterWithTicket): PortalError {
  const number = c.current?.number ?? 'a ticket';
  return new PortalError(
    PortalErrorCode.CounterBusy,
    `counter ${c.counter.counter_id} still has ${number}: complete, hold, transfer or mark it no-show first`,
  );
}

async function reread(client: pg.PoolClient, hallId: string, counterId: string): Promise<CounterWithTicket> {
  const after = await readCounter(client, hallId, counterId);
  if (!after) throw notFound(counterId);
  return after;
}

/** The services a sign-in may choose: the counter's own (or, for one serving all, the hall's enabled ones). */
async function checkServices(client: pg.PoolClient, hallId: string, c: CounterWithTicket, serviceIds: readonly string[]): Promise<string[]> {
  const chosen = [...new Set(serviceIds)].sort();
  if (chosen.length === 0) return [];
  const configured = c.counter.service_ids;
  const outside = configured.length > 0 ? chosen.filter((s) => !configured.includes(s)) : [];
  if (outside.length > 0) {
    throw new PortalError(PortalErrorCode.UnknownService, `counter ${c.counter.counter_id} does not serve ${outside.join(', ')}`);
  }
  const known = await client.query<{ service_id: string }>(
    'SELECT service_id FROM services WHERE hall_id = $1 AND service_id = ANY($2::text[]) AND enabled',
    [hallId, chosen],
  );
  const open = new Set(known.rows.map((r) => r.service_id));
  const closed = chosen.filter((s) => !open.has(s));
  if (closed.length > 0) throw new PortalError(PortalErrorCode.UnknownService, `service ${closed.join(', ')} is not open in this hall`);
  return chosen;
}

/** The other counter a person is signed in at (a person holds one at a time: counters_one_per_person). */
async function otherCounterOf(client: pg.PoolClient, actor: CounterActor, counterId: string): Promise<string | null> {
  if (actor.via !== 'session') return null;
  const other = await client.query<{ counter_id: string }>(
    `SELECT counter_id FROM counters WHERE hall_id = $1 AND staff_id = $2 AND signed_in_via = 'session' AND counter_id <> $3`,
    [actor.hallId, actor.staffId, counterId],
  );
  return other.rows[0]?.counter_id ?? null;
}

const CLEAR_SIGN_IN = `staff_id = NULL, signed_in_via = NULL, signed_in_at = NULL, paused = false, active_service_ids = '{}',
       updated_at = clock_timestamp()`;

/**
 * Takes a counter and chooses its services (empty: all it may serve). Signing in again (same
 * staff id) changes the services and keeps the pause. A person signed in at another counter
 * leaves it (refused while that one still has a called or serving ticket). Someone else's
 * counter is refused (counter-taken): a manager signs them out first.
 */
export async function signIn(client: pg.PoolClient, actor: CounterActor, counterId: string, serviceIds: readonly string[]): Promise<CounterChange> {
  const otherId = await otherCounterOf(client, actor, counterId);
  // Both rows locked in one order (by id), so two sign-ins crossing each other cannot deadlock.
  const locked = new Map<string, CounterWithTicket | null>();
  for (const id of [counterId, otherId].filter((x): x is string => x !== null).sort()) {
    locked.set(id, id === counterId ? await lockEnabledCounter(client, actor.hallId, id) : await lockCounter(client, actor.hallId, id));
  }
  const before = locked.get(counterId);
  if (!before) throw notFound(counterId);
  // The manager decides which clerks work where (counter_staff); managers and admins cover any counter.
  if (clerkScope(actor) !== null && !(await allowedAtCounter(client, actor.hallId, counterId, actor.staffId))) {
    throw new PortalError(PortalErrorCode.CounterNotAllowed, `${actor.staffId} is not among the staff allowed at counter ${counterId}`);
  }
  const holder = before.counter.staff_id;
  if (holder !== null && holder !== actor.staffId) {
    throw new PortalError(PortalErrorCode.CounterTaken, `counter ${counterId} is signed in under ${holder}`);
  }
  const chosen = await checkServices(client, actor.hallId, before, serviceIds);
  let left: CounterWithTicket | null = null;
  const other = otherId === null ? null : locked.get(otherId);
  if (other && other.counter.staff_id === actor.staffId && other.counter.signed_in_via === 'session') {
    if (other.current) throw counterBusy(other);
    await client.query(`UPDATE counters SET ${CLEAR_SIGN_IN} WHERE hall_id = $1 AND counter_id = $2`, [actor.hallId, other.counter.counter_id]);
    left = other;
  }
  await client.query(
    `UPDATE counters SET staff_id = $3, signed_in_via = $4, signed_in_at = coalesce(signed_in_at, clock_timestamp()),
       active_service_ids = $5::text[], updated_at = clock_timestamp()
     WHERE hall_id = $1 AND counter_id = $2`,
    [actor.hallId, counterId, actor.staffId, actor.via, chosen],
  );
  return { before, after: await reread(client, actor.hallId, counterId), left };
}

/**
 * Leaves a counter. Refused while it has a called or serving ticket (counter-busy); its held
 * tickets stay with it. Signing out a counter nobody is at is a no-op; a clerk may sign out only
 * their own, a manager any (the clerk who walked away).
 */
export async function signOut(client: pg.PoolClient, actor: CounterActor, counterId: string): Promise<CounterChange> {
  const before = await lockEnabledCounter(client, actor.hallId, counterId);
  if (before.counter.staff_id === null) return { before, after: before, left: null };
  assertMayDrive(actor, before);
  if (before.current) throw counterBusy(before);
  await client.query(`UPDATE counters SET ${CLEAR_SIGN_IN} WHERE hall_id = $1 AND counter_id = $2`, [actor.hallId, counterId]);
  return { before, after: await reread(client, actor.hallId, counterId), left: null };
}

/**
 * Pauses (or resumes) a signed-in counter. A paused counter makes no calls; the ticket it is
 * serving stays with it (a clerk finishes the visitor, then takes the break). Idempotent.
 */
export async function setPaused(client: pg.PoolClient, actor: CounterActor, counterId: string, paused: boolean): Promise<CounterChange> {
  const before = await lockEnabledCounter(client, actor.hallId, counterId);
  if (before.counter.staff_id === null) {
    throw new PortalError(PortalErrorCode.CounterSignedOut, `nobody is signed in at counter ${counterId}`);
  }
  assertMayDrive(actor, before);
  if (before.counter.paused === paused) return { before, after: before, left: null };
  await client.query('UPDATE counters SET paused = $3, updated_at = clock_timestamp() WHERE hall_id = $1 AND counter_id = $2', [
    actor.hallId,
    counterId,
    paused,
  ]);
  return { before, after: await reread(client, actor.hallId, counterId), left: null };
}

/** Whether a change is one the hall's pages should hear of. */
export function stateChanged(before: CounterWithTicket, after: CounterWithTicket): boolean {
  return counterStateOf(before.counter, before.current !== null) !== counterStateOf(after.counter, after.current !== null);
}
