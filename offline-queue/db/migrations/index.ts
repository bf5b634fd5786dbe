import { migration0001 } from './0001-initial.js';
import type { Migration } from './migration.js';

/** Every schema version in order. Append only: a shipped migration is never edited. */
export const migrations: readonly Migration[] = [migration0001];

export const LATEST_SCHEMA_VERSION = migrations.reduce((max, m) => Math.max(max, m.version), 0);

export type { Migration } from './migration.js';
