import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { counterRoutes, type CounterView } from '../../common/contract/counter-api.js';
import { registerContractRoutes, type ContractHandlers } from '../http/contract-routes.js';
import { loadStaffView } from '../staff/staff-accounts.js';
import { auditActorOf } from './counter-actor.js';
import { CounterOperation, actOnTicket, callNext, changeCounter, listCounters, queueForConsole } from './counter-operations.js';
import { sweepEndOfDay } from './end-of-day.js';
import { TicketAction } from './ticket-life.js';

/** The names of the people at these counters (an API key's account has none to show). */
async function withStaffNames(db: pg.Pool, hallId: string, counters: CounterView[]): Promise<CounterView[]> {
  const ids = [...new Set(counters.map((c) => c.staffId).filter((id): id is string => id !== null))];
  const names = new Map<string, string>();
  for (const id of ids) {
    const staff = await loadStaffView(db, hallId, id);
    if (staff) names.set(id, staff.displayName);
  }
  return counters.map((c) => ({ ...c, staffName: c.staffId === null ? null : (names.get(c.staffId) ?? null) }));
}

/** One handler per entry of `counterRoutes`: the principal is the actor, and decides the hall. */
export function createCounterHandlers(pool: pg.Pool): ContractHandlers<typeof counterRoutes> {
  const counterView = async (hallId: string, view: CounterView) => ({ counter: (await withStaffNames(pool, hallId, [view]))[0] ?? view });
  const ticket = (action: TicketAction.Recall | TicketAction.Start | TicketAction.NoShow | TicketAction.Requeue | TicketAction.Hold) =>
    async ({ principal, params, now }: { principal: Parameters<typeof actOnTicket>[1]; params: { ticketId: string }; now: Date }) => ({
      ticket: await actOnTicket(pool, principal, params.ticketId, { action }, now),
    });
  return {
    counters: async ({ principal, now }) => ({
      counters: await withStaffNames(pool, principal.hallId, await listCounters(pool, principal.hallId)),
      serverTime: now.toISOString(),
    }),
    signInCounter: async ({ principal, params, body }) =>
      counterView(principal.hallId, await changeCounter(pool, principal, params.counterId, CounterOperation.SignIn, body.serviceIds)),
    signOutCounter: async ({ principal, params }) =>
      counterView(principal.hallId, await changeCounter(pool, principal, params.counterId, CounterOperation.SignOut)),
    pauseCounter: async ({ principal, params }) =>
      counterView(principal.hallId, await changeCounter(pool, principal, params.counterId, CounterOperation.Pause)),
    resumeCounter: async ({ principal, params }) =>
      counterView(principal.hallId, await changeCounter(pool, principal, params.counterId, CounterOperation.Resume)),
    callNext: async ({ principal, body, now }) => ({ ticket: await callNext(pool, principal, body, now) }),
    queue: async ({ principal, query, now }) => ({
      ...(await queueForConsole(pool, principal.hallId, query.counterId ?? null, now)),
      serverTime: now.toISOString(),
    }),
    call: async ({ principal, params, body, now }) => ({
      ticket: await actOnTicket(pool, principal, params.ticketId, { action: TicketAction.Call, counterId: body.counterId }, now),
    }),
    recall: ticket(TicketAction.Recall),
    start: ticket(TicketAction.Start),
    complete: async ({ principal, params, body, now }) => ({
      ticket: await actOnTicket(pool, principal, params.ticketId, { action: TicketAction.Complete, caseNumber: body.caseNumber }, now),
    }),
    noShow: ticket(TicketAction.NoShow),
    requeue: ticket(TicketAction.Requeue),
    hold: ticket(TicketAction.Hold),
    callBack: async ({ principal, params, body, now }) => ({
      ticket: await actOnTicket(pool, principal, params.ticketId, { action: TicketAction.CallBack, counterId: body.counterId }, now),
    }),
    transfer: async ({ principal, params, body, now }) => ({
      ticket: await actOnTicket(
        pool,
        principal,
        params.ticketId,
        {
          action: TicketAction.Transfer,
          target: body.serviceId !== undefined ? { serviceId: body.serviceId } : { counterId: body.counterId ?? '' },
          priority: body.priority,
        },
        now,
      ),
    }),
    cancel: async ({ principal, params, body, now }) => ({
      ticket: await actOnTicket(pool, principal, params.ticketId, { action: TicketAction.Cancel, reason: body.reason }, now),
    }),
    sweep: async ({ principal, now }) => {
      const swept = await sweepEndOfDay(pool, now, { hallId: principal.hallId, actor: auditActorOf(principal) });
      return { swept: swept.get(principal.hallId) ?? 0 };
    },
  };
}

/** The counter domain as a Fastify plugin: `counterRoutes` over the shared base of portal/http/. */
export async function counterDomain(app: FastifyInstance): Promise<void> {
  registerContractRoutes(app, counterRoutes, createCounterHandlers(app.portal.pool), { tags: ['counter'] });
}
