import type pg from 'pg';
import type { z } from 'zod';
import type { CounterConfigView, CreateCounterRequest, UpdateCounterRequest } from '../../common/contract/config-api.js';
import { PortalErrorCode } from '../../common/contract/errors.js';
import type { StaffPrincipal } from '../auth/principals.js';
import { insertCounter, readCounterConfig, writeCounterConfig } from '../counter/counter-config.js';
import { readCounter } from '../counter/counter-row.js';
import { counterUpdated } from '../counter/hall-effects.js';
import { PortalError } from '../http/portal-error.js';
import { emitHallEvent } from '../realtime/emit-hall-event.js';
import { assertVersion, auditChange, canonicalJson } from './config-change.js';

/**
 * Counters as the manager configures them (issue 10 §1), through the counter domain's own
 * functions (portal/counter/counter-config.ts): audited with before and after, and announced as
 * `counter.updated` so the consoles and the display read the counter again.
 */

async function readView(client: pg.PoolClient, hallId: string, counterId: string): Promise<CounterConfigView> {
  const read = await readCounterConfig(client, hallId, counterId);
  if (!read) throw new PortalError(PortalErrorCode.NotFound, `counter ${counterId} not found`);
  return read.view;
}

async function announce(client: pg.PoolClient, hallId: string, counterId: string): Promise<void> {
  const live = await readCounter(client, hallId, counterId);
  if (live) await emitHallEvent(client, hallId, counterUpdated(live));
}

export async function createCounter(
  client: pg.PoolClient,
  principal: StaffPrincipal,
  request: z.output<typeof CreateCounterRequest>,
): Promise<CounterConfigView> {
  const { counterId, ...settings } = request;
  await insertCounter(client, principal.hallId, counterId, settings);
  const after = await readView(client, principal.hallId, counterId);
  await auditChange(client, principal, { action: 'config.counter.create', target: `counter:${counterId}`, before: null, after });
  await announce(client, principal.hallId, counterId);
  return after;
}

/** Replaces a counter's configuration at the version the manager edited. A write that changes nothing changes no version. */
export async function updateCounter(
  client: pg.PoolClient,
  principal: StaffPrincipal,
  counterId: string,
  request: z.output<typeof UpdateCounterRequest>,
): Promise<CounterConfigView> {
  const current = await readCounterConfig(client, principal.hallId, counterId, true);
  if (!current) throw new PortalError(PortalErrorCode.NotFound, `counter ${counterId} not found`);
  const { version, ...settings } = request;
  assertVersion(`counter ${counterId}`, version, current.view.version);
  const { counterId: _id, version: _version, ...was } = current.view;
  const sorted = (s: typeof settings): unknown => ({
    ...s,
    services: [...s.services].sort((a, b) => (a.serviceId < b.serviceId ? -1 : 1)),
    allowedStaffIds: [...s.allowedStaffIds].sort(),
  });
  if (canonicalJson(sorted(settings)) === canonicalJson(sorted(was))) return current.view;
  await writeCounterConfig(client, principal.hallId, current, settings);
  const after = await readView(client, principal.hallId, counterId);
  await auditChange(client, principal, { action: 'config.counter.update', target: `counter:${counterId}`, before: current.view, after });
  await announce(client, principal.hallId, counterId);
  return after;
}
