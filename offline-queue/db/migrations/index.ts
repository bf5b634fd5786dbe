import { migration0001 } from './0001-initial.js';
import { migration0002 } from './0002-bands-appointments-sync-state.js';
import { migration0003 } from './0003-technician-audit.js';
import { migration0004 } from './0004-clock-jump.js';
import { migration0005 } from './0005-four-digit-bands.js';
import { migration0006 } from './0006-audit-without-card-numbers.js';
import { migration0007 } from './0007-citizen-journeys.js';
import { migration0008 } from './0008-kiosk-settings.js';
import type { Migration } from './migration.js';

/** Every schema version in order. Append only: a shipped migration is never edited. */
export const migrations: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005, migration0006, migration0007, migration0008];

export const LATEST_SCHEMA_VERSION = migrations.reduce((max, m) => Math.max(max, m.version), 0);

export type { Migration } from './migration.js';
