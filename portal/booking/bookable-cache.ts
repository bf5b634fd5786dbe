import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { BookableService } from './bookable-service.js';

/**
 * What a hold needs of a hall and one of its services (bookable-service.ts), remembered per
 * database between holds so that a hold is one statement, not a read and then a statement: at
 * 08:00 the portal's connections, not PostgreSQL, are what a rush waits for.
 *
 * Never trusted on its own: the hold statement (booking_hold, 0015_booking_fast_path.sql) checks
 * the stamp against the hall's row, and answers `stale` when it no longer matches, whereupon the
 * hold reads again. The hall's catalog version moves on every change of the hall's part of it and
 * of any of its services' rows (0002, 0008, 0014), which covers every column a hold reads; the
 * key tag (a hash of the hall's citizen key, never the key) tells a hall created again under the
 * same id from the one remembered.
 */
export interface KnownBookable {
  service: BookableService;
  catalogVersion: number;
  keyTag: string;
}

/** A plain bound rather than an LRU: a few services per hall are booked online. */
const MAX_REMEMBERED = 1_000;
const byPool = new WeakMap<pg.Pool, Map<string, KnownBookable>>();

const keyOf = (hallId: string, serviceId: string): string => `${hallId}\u0000${serviceId}`;

/** 16 hex digits of SHA-256 of the hall's citizen key: enough to tell two keys apart. */
export function keyTagOf(citizenKey: string): string {
  return createHash('sha256').update(citizenKey, 'utf8').digest('hex').slice(0, 16);
}

export function rememberedBookable(pool: pg.Pool, hallId: string, serviceId: string): KnownBookable | undefined {
  return byPool.get(pool)?.get(keyOf(hallId, serviceId));
}

export function rememberBookable(pool: pg.Pool, known: KnownBookable): void {
  let remembered = byPool.get(pool);
  if (!remembered) {
    remembered = new Map();
    byPool.set(pool, remembered);
  }
  if (remembered.size >= MAX_REMEMBERED) remembered.clear();
  remembered.set(keyOf(known.service.hallId, known.service.serviceId), known);
}

export function forgetBookable(pool: pg.Pool, hallId: string, serviceId: string): void {
  byPool.get(pool)?.delete(keyOf(hallId, serviceId));
}
