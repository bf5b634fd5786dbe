import { describe, expect, it } from 'vitest';
import { TicketStatus } from '../../../../common/contract/counter-api.js';
import { PortalErrorCode } from '../../../../common/contract/errors.js';
import { ClientErrorCode } from '../../shared/api/ui-error.js';
import { keyPaths, Language } from '../../shared/i18n/language.js';
import { FeedStatus } from '../../shared/live/hall-event-feed.js';
import { displayDictionaries } from './index.js';

describe('display dictionaries', () => {
  it('have exactly the same keys in Chinese and English', () => {
    const zh = keyPaths(displayDictionaries[Language.Zh]).sort();
    expect(keyPaths(displayDictionaries[Language.En]).sort()).toEqual(zh);
    expect(zh.length).toBeGreaterThan(30);
  });

  it('word every ticket status, feed state and error code', () => {
    for (const t of Object.values(displayDictionaries)) {
      expect(Object.keys(t.statusBadge).sort()).toEqual(Object.values(TicketStatus).sort());
      expect(Object.keys(t.feed).sort()).toEqual(Object.values(FeedStatus).sort());
      expect(Object.keys(t.errorByCode).sort()).toEqual([...Object.values(PortalErrorCode), ...Object.values(ClientErrorCode)].sort());
      // Only a ticket still being called goes without a badge; only a live feed goes without a notice.
      expect(Object.entries(t.statusBadge).filter(([, v]) => v === null).map(([k]) => k)).toEqual([TicketStatus.Called]);
      expect(Object.entries(t.feed).filter(([, v]) => v === null).map(([k]) => k)).toEqual([FeedStatus.Live]);
    }
    expect(displayDictionaries[Language.Zh].counterSign(12)).toBe('12 号窗口');
    expect(displayDictionaries[Language.En].waitingCount(1)).toBe('1 person');
  });
});
