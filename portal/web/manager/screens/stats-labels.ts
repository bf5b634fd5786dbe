import { StatsBy, type StatsRow } from '../../../../common/contract/stats-api.js';
import { localized, type Language } from '../../shared/i18n/language.js';
import type { ManagerDictionary } from '../i18n/index.js';

/**
 * What names a row of a statistics table: the day itself, the local hour (`09:00`), or the
 * service's, counter's or clerk's name, falling back to its id when the portal knows no name (a
 * service since removed).
 */
export function rowLabel(row: StatsRow, by: StatsBy, t: ManagerDictionary, language: Language): string {
  if (row.name) return localized(row.name, language);
  if (by === StatsBy.Hour) return t.hourLabel(row.key);
  return row.key;
}
