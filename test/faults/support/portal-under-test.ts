import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import { z } from 'zod';
import { seedDemoHall, type DemoKioskToken } from '../../../portal/seed/demo-hall.js';
import { buildPortalApp } from '../../../portal/http/build-portal-app.js';
import { startTestPostgres, type TestPostgres } from '../../../portal/test-support/test-postgres.js';

export const FAULTS_STAFF_TOKEN = 'faults-staff-token';

/** `count` kiosks with distinct digits 1..count and tokens derived from `label`. */
export function faultKiosks(label: string, count: number): DemoKioskToken[] {
  return Array.from({ length: count }, (_, i) => ({
    kioskId: `${label}-kiosk-${i + 1}`,
    token: `${label}-kiosk-token-${i + 1}`,
    kioskDigit: i + 1,
  }));
}

export interface PortalUnderTest {
  readonly db: TestPostgres;
  readonly pool: pg.Pool;
  readonly baseUrl: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * A real PostgreSQL (embedded, temp folder, migrated), the demo hall seeded with the given kiosks,
 * and the portal's HTTP server in this process on a free port. `clock` is the portal's "now".
 */
export async function startPortalUnderTest(kiosks: DemoKioskToken[], options: { clock?: () => Date } = {}): Promise<PortalUnderTest> {
  const db = await startTestPostgres();
  let app: FastifyInstance | null = null;
  try {
    await seedDemoHall(db.pool, { kioskTokens: kiosks, staffToken: FAULTS_STAFF_TOKEN });
    const listening = await buildPortalApp({
      pool: db.pool,
      logLevel: 'error',
      ...(options.clock ? { clock: options.clock } : {}),
      onInternalError: (err) => {
        // A kiosk killed (or cut off) mid-request leaves a body that ends early: expected here.
        if (err instanceof Error && (err.message === 'aborted' || (err as { code?: unknown }).code === 'ECONNRESET')) return;
        console.error('portal under test: internal error', err);
      },
    });
    app = listening;
    await listening.listen({ port: 0, host: '127.0.0.1' });
  } catch (err) {
    await app?.close();
    await db.close();
    throw err;
  }
  const open = app;
  const port = (open.server.address() as AddressInfo).port;
  return {
    db,
    pool: db.pool,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      open.server.closeAllConnections();
      await open.close();
      await db.close();
    },
  };
}

const TicketRow = z.object({
  ticket_id: z.string(),
  number: z.string(),
  business_day: z.string(),
  kiosk_id: z.string(),
  number_source: z.string(),
});
const EventRow = z.object({
  kiosk_id: z.string(),
  db_epoch: z.string(),
  seq: z.coerce.number().int(),
  ticket_id: z.string().nullable(),
  rejected_code: z.string().nullable(),
  /** Microseconds since the epoch, as text: JavaScript dates would drop the microseconds. */
  received_us: z.string(),
});
const CursorRow = z.object({ kiosk_id: z.string(), db_epoch: z.string(), last_seq: z.coerce.number().int() });

export interface PortalSnapshot {
  tickets: { ticketId: string; number: string; businessDay: string; kioskId: string; numberSource: string }[];
  events: { kioskId: string; dbEpoch: string; seq: number; ticketId: string | null; rejectedCode: string | null; receivedUs: bigint }[];
  cursors: { kioskId: string; dbEpoch: string; lastSeq: number }[];
}

/** Everything the portal holds about tickets and sync, read straight from PostgreSQL. */
export async function snapshotPortal(pool: pg.Pool): Promise<PortalSnapshot> {
  const tickets = await pool.query(
    'SELECT ticket_id::text, number, business_day::text AS business_day, kiosk_id, number_source FROM tickets',
  );
  const events = await pool.query(
    `SELECT kiosk_id, db_epoch::text AS db_epoch, seq, payload->>'ticketId' AS ticket_id, rejected_code,
            (extract(epoch FROM received_at) * 1000000)::bigint::text AS received_us
     FROM sync_events`,
  );
  const cursors = await pool.query('SELECT kiosk_id, db_epoch::text AS db_epoch, last_seq FROM kiosk_cursors');
  return {
    tickets: tickets.rows.map((raw) => {
      const r = TicketRow.parse(raw);
      return { ticketId: r.ticket_id, number: r.number, businessDay: r.business_day, kioskId: r.kiosk_id, numberSource: r.number_source };
    }),
    events: events.rows.map((raw) => {
      const r = EventRow.parse(raw);
      return {
        kioskId: r.kiosk_id,
        dbEpoch: r.db_epoch,
        seq: r.seq,
        ticketId: r.ticket_id,
        rejectedCode: r.rejected_code,
        receivedUs: BigInt(r.received_us),
      };
    }),
    cursors: cursors.rows.map((raw) => {
      const r = CursorRow.parse(raw);
      return { kioskId: r.kiosk_id, dbEpoch: r.db_epoch, lastSeq: r.last_seq };
    }),
  };
}
