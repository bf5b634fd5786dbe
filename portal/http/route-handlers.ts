import type pg from 'pg';
import type { z } from 'zod';
import { PullQuery, RouteAuth, TicketIdParam, syncRoutes } from '../../common/contract/sync-api.js';
import type { KioskPrincipal, StaffPrincipal } from '../auth/principals.js';
import { allocateNumber } from '../queue/allocate-number.js';
import { createAppointment } from '../queue/appointments.js';
import { loadCatalog } from '../queue/catalog.js';
import { callNext, completeTicket, listQueue, markNoShow } from '../queue/counter-calls.js';
import { leaseBand } from '../queue/lease-band.js';
import { pull } from '../queue/pull.js';
import { pushEvents } from '../queue/push-events.js';
import { badRequestFromZod } from './portal-error.js';

type Routes = typeof syncRoutes;
export type RouteName = keyof Routes;

type RequestOf<K extends RouteName> = Routes[K]['request'] extends z.ZodType ? z.output<Routes[K]['request']> : undefined;
type ResponseOf<K extends RouteName> = z.input<Routes[K]['response']>;
type PrincipalOf<K extends RouteName> = Routes[K]['auth'] extends RouteAuth.Kiosk
  ? KioskPrincipal
  : Routes[K]['auth'] extends RouteAuth.Staff
    ? StaffPrincipal
    : null;

/** What a handler gets: the parsed body, raw path and query parameters, the caller, and the portal's "now". */
export interface RouteCall<K extends RouteName> {
  body: RequestOf<K>;
  params: Readonly<Record<string, string>>;
  query: Readonly<Record<string, string>>;
  principal: PrincipalOf<K>;
  now: Date;
}

export type RouteHandlers = { [K in RouteName]: (call: RouteCall<K>) => Promise<ResponseOf<K>> };

function cursorOf(query: Readonly<Record<string, string>>): string | undefined {
  const parsed = PullQuery.safeParse(query);
  if (!parsed.success) throw badRequestFromZod(parsed.error, 'query');
  return parsed.data.cursor;
}

function ticketIdOf(params: Readonly<Record<string, string>>): string {
  const parsed = TicketIdParam.safeParse(params);
  if (!parsed.success) throw badRequestFromZod(parsed.error, 'path');
  return parsed.data.ticketId;
}

/** One handler per entry of `syncRoutes`; the type makes a missing or extra route a compile error. */
export function createRouteHandlers(pool: pg.Pool): RouteHandlers {
  return {
    catalog: ({ principal, now }) => loadCatalog(pool, principal.hallId, now),
    push: ({ principal, body, now }) => pushEvents(pool, principal, body, now),
    allocateNumber: ({ principal, body, now }) => allocateNumber(pool, principal, body, now),
    pull: ({ principal, query, now }) => pull(pool, principal, cursorOf(query), now),
    leaseBand: ({ principal, body, now }) => leaseBand(pool, principal, body, now),
    createAppointment: ({ principal, body, now }) => createAppointment(pool, principal, body, now),
    callNext: ({ principal, body, now }) => callNext(pool, principal, body, now),
    complete: ({ principal, params }) => completeTicket(pool, principal, ticketIdOf(params)),
    noShow: ({ principal, params }) => markNoShow(pool, principal, ticketIdOf(params)),
    queue: ({ principal, now }) => listQueue(pool, principal, now),
  };
}
