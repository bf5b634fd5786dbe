import type pg from 'pg';
import { z } from 'zod';
import type { DisplaySettingsPayload } from '../../common/contract/hall-events.js';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { PortalError } from '../http/portal-error.js';

const SettingsRow = z.object({
  voice_repeat: z.number().int(),
  voice_english: z.boolean(),
  display_notice_zh: z.string().nullable(),
  display_notice_en: z.string().nullable(),
});

/**
 * The hall's display notice and voice settings (hall columns), as the display snapshot and the
 * `display.settings` event carry them. The notice is both languages or none (a table check).
 */
export async function loadDisplaySettings(db: pg.Pool | pg.PoolClient, hallId: string): Promise<DisplaySettingsPayload> {
  const result = await db.query(
    'SELECT voice_repeat, voice_english, display_notice_zh, display_notice_en FROM halls WHERE hall_id = $1',
    [hallId],
  );
  if (result.rows.length === 0) throw new PortalError(PortalErrorCode.NotFound, `hall ${hallId} not found`);
  const row = SettingsRow.parse(result.rows[0]);
  return {
    notice: row.display_notice_zh !== null && row.display_notice_en !== null ? { zh: row.display_notice_zh, en: row.display_notice_en } : null,
    voiceRepeat: row.voice_repeat,
    voiceEnglish: row.voice_english,
  };
}
