import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { HallEventKind, type HallEvent } from '../../common/contract/hall-events.js';
import { tokenHash } from '../auth/token-hash.js';
import { withTransaction } from '../db/transaction.js';
import { emitHallEvent } from './emit-hall-event.js';

/** Test support: hall events and the rows they need, without the counter domain. */

export type TicketCalledEvent = Extract<HallEvent, { kind: HallEventKind.TicketCalled }>;

/** A `ticket.called` event for ticket number `A<n>` (zero-padded) at counter 3. */
export function calledEvent(n: number, overrides: { ticketId?: string; recall?: boolean } = {}): TicketCalledEvent {
  return {
    kind: HallEventKind.TicketCalled,
    payload: {
      ticketId: overrides.ticketId ?? randomUUID(),
      number: `A${String(n).padStart(3, '0')}`,
      serviceId: 'social-insurance',
      counterId: 'counter-3',
      counterNumber: 3,
      counterName: { zh: '3 号窗口', en: 'Counter 3' },
      callCount: overrides.recall ? 2 : 1,
      recall: overrides.recall ?? false,
    },
  };
}

/** Emits one event in a transaction of its own; returns its seq. */
export async function emitOne(pool: pg.Pool, hallId: string, event: HallEvent): Promise<number> {
  return withTransaction(pool, (client) => emitHallEvent(client, hallId, event));
}

/** A hall with nothing but its row (and a service, for the display snapshot). */
export async function insertHall(pool: pg.Pool, hallId: string): Promise<void> {
  await pool.query(
    `INSERT INTO halls (hall_id, name_zh, name_en, time_zone) VALUES ($1, '测试大厅', 'Test hall', 'Asia/Shanghai')
     ON CONFLICT DO NOTHING`,
    [hallId],
  );
}

/** A display token of `hallId`. */
export async function insertDisplayToken(pool: pg.Pool, hallId: string, token: string, displayId: string): Promise<void> {
  await pool.query('INSERT INTO display_tokens (hall_id, token_hash, display_id, name) VALUES ($1, $2, $3, $4)', [
    hallId,
    tokenHash(token),
    displayId,
    `display ${displayId}`,
  ]);
}
