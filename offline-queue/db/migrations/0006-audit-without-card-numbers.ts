import { withoutIdNumbers } from '../../../common/domain/masking.js';
import type { Migration } from './migration.js';

/**
 * Issue 7: the audit log keeps no card numbers, masked ones included. Until now a passing reader
 * self-test was audited with the card's masked number (`reader: card read: mainland
 * 1101**********002X`), and those rows were kept for good. A passing self-test now keeps only
 * `<device>: passed`; a failing one its reason with any number taken out. The overwritten text
 * does not stay on disk: the store runs with secure_delete.
 */
export const migration0006: Migration = {
  version: 6,
  name: 'audit-without-card-numbers',
  up(db) {
    const rows = db.prepare("SELECT id, outcome, detail FROM audit_log WHERE action = 'self-test'").all() as Array<{
      id: number;
      outcome: string;
      detail: string;
    }>;
    const update = db.prepare<[string, number]>('UPDATE audit_log SET detail = ? WHERE id = ?');
    for (const row of rows) {
      const device = row.detail.split(':', 1)[0] ?? '';
      const scrubbed = row.outcome === 'ok' ? `${device}: passed` : withoutIdNumbers(row.detail);
      if (scrubbed !== row.detail) update.run(scrubbed, row.id);
    }
  },
};
