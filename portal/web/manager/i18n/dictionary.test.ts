import { describe, expect, it } from 'vitest';
import { DeviceState } from '../../../../common/contract/device-status.js';
import { PortalErrorCode } from '../../../../common/contract/errors.js';
import { KioskHealthReason, KioskHealthState } from '../../../../common/contract/kiosk-health-api.js';
import { PrinterState } from '../../../../common/contract/kiosk-status.js';
import { RatingLevel } from '../../../../common/contract/ratings-api.js';
import { StaffRole } from '../../../../common/contract/route-spec.js';
import { StatsBy } from '../../../../common/contract/stats-api.js';
import { ClientErrorCode } from '../../shared/api/ui-error.js';
import { keyPaths, Language } from '../../shared/i18n/language.js';
import { ConfigNotice, ConfigTab } from '../config/config-store.js';
import { WEEKDAYS } from '../config/weekly-hours-text.js';
import { AgoUnit } from '../format/relative-time.js';
import { ManagerSection } from '../state/session-store.js';
import { RangeProblem, StatsPreset } from '../state/stats-range.js';
import { managerDictionaries } from './index.js';

const sorted = (values: readonly string[]) => [...values].sort();

describe('manager console dictionaries', () => {
  it('have exactly the same keys in Chinese and English, none empty', () => {
    const zh = keyPaths(managerDictionaries[Language.Zh]).sort();
    const en = keyPaths(managerDictionaries[Language.En]).sort();
    expect(en).toEqual(zh);
    expect(zh.length).toBeGreaterThan(250);
    for (const t of Object.values(managerDictionaries)) {
      for (const path of zh) {
        const value = path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], t);
        const text = typeof value === 'function' ? (value as (...a: unknown[]) => string)(7, 'x', 'y', 'z') : value;
        expect(typeof text === 'string' && text.trim().length > 0, path).toBe(true);
      }
    }
  });

  it('translate every code and state the console shows, so a new one fails here until it is translated', () => {
    for (const t of Object.values(managerDictionaries)) {
      expect(sorted(Object.keys(t.errorByCode))).toEqual(sorted([...Object.values(PortalErrorCode), ...Object.values(ClientErrorCode)]));
      expect(sorted(Object.keys(t.reason))).toEqual(sorted(Object.values(KioskHealthReason)));
      expect(sorted(Object.keys(t.healthState))).toEqual(sorted(Object.values(KioskHealthState)));
      expect(sorted(Object.keys(t.printerState))).toEqual(sorted(Object.values(PrinterState)));
      expect(sorted(Object.keys(t.deviceState))).toEqual(sorted(Object.values(DeviceState)));
      expect(sorted(Object.keys(t.grouping))).toEqual(sorted(Object.values(StatsBy)));
      expect(sorted(Object.keys(t.keyColumn))).toEqual(sorted(Object.values(StatsBy)));
      expect(sorted(Object.keys(t.preset))).toEqual(sorted(Object.values(StatsPreset)));
      expect(sorted(Object.keys(t.rangeProblem))).toEqual(sorted(Object.values(RangeProblem)));
      expect(sorted(Object.keys(t.ago))).toEqual(sorted(Object.values(AgoUnit)));
      expect(sorted(Object.keys(t.section))).toEqual(sorted(Object.values(ManagerSection)));
      expect(sorted(Object.keys(t.roleName))).toEqual(sorted(Object.values(StaffRole)));
      expect(sorted(Object.keys(t.ratingLevel))).toEqual(sorted(Object.values(RatingLevel)));
      expect(sorted(Object.keys(t.config.tab))).toEqual(sorted(Object.values(ConfigTab)));
      expect(sorted(Object.keys(t.config.notice))).toEqual(sorted(Object.values(ConfigNotice)));
      expect(sorted(Object.keys(t.config.weekday))).toEqual(sorted(WEEKDAYS));
      expect(sorted(Object.keys(t.config.weekdayShort))).toEqual(sorted(WEEKDAYS));
    }
  });

  it('uses the hall’s own words: presets, 好差评 levels, and the English has no Chinese left', () => {
    const zh = managerDictionaries[Language.Zh];
    expect(STATS_PRESET_ORDER.map((p) => zh.preset[p])).toEqual(['今天', '近7天', '近30天', '近90天']);
    expect(Object.values(zh.ratingLevel)).toEqual(['非常满意', '满意', '基本满意', '不满意', '非常不满意']);
    // A clerk who signs in here is told why, not given the generic refusal.
    expect(zh.errorByCode[PortalErrorCode.Forbidden]).toContain('管理台');
    const en = managerDictionaries[Language.En];
    for (const path of keyPaths(en)) {
      if (path.startsWith('ratingLevel') || path.startsWith('errorByCode')) continue;
      const value = path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], en);
      const text = typeof value === 'function' ? (value as (...a: unknown[]) => string)(7, 'x', 'y', 'z') : String(value);
      expect(text, path).not.toMatch(/[\u4e00-\u9fff]/u);
    }
  });
});

const STATS_PRESET_ORDER = [StatsPreset.Today, StatsPreset.Last7, StatsPreset.Last30, StatsPreset.Last90];
