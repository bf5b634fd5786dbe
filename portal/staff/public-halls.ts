import type pg from 'pg';
import { z } from 'zod';
import type { PublicHall } from '../../common/contract/staff-api.js';

const HallRow = z.object({ hall_id: z.string(), name_zh: z.string(), name_en: z.string() });

/**
 * The halls a member of staff can sign in to, for the sign-in page's picker: ids and names only,
 * what the sign above the door already says. Ids the contract cannot carry are left out.
 */
export async function listPublicHalls(db: pg.Pool | pg.PoolClient): Promise<z.input<typeof PublicHall>[]> {
  const result = await db.query(
    `SELECT hall_id, name_zh, name_en FROM halls WHERE hall_id ~ '^[a-z0-9][a-z0-9-]{0,63}$' ORDER BY hall_id LIMIT 1000`,
  );
  return result.rows.map((raw) => {
    const row = HallRow.parse(raw);
    return { hallId: row.hall_id, name: { zh: row.name_zh, en: row.name_en } };
  });
}
