import { describe, expect, it } from 'vitest';
import { CounterState, TicketStatus } from '../../../../common/contract/counter-api.js';
import { PortalErrorCode } from '../../../../common/contract/errors.js';
import { RatingLevel } from '../../../../common/contract/ratings-api.js';
import { StaffRole } from '../../../../common/contract/route-spec.js';
import { Priority } from '../../../../common/domain/priority.js';
import { ClientErrorCode } from '../../shared/api/ui-error.js';
import { keyPaths, Language } from '../../shared/i18n/language.js';
import { FeedStatus } from '../../shared/live/hall-event-feed.js';
import { ConsoleAction } from '../state/console-actions.js';
import { RATING_DIMENSIONS } from '../state/rating-prompt.js';
import { consoleDictionaries } from './index.js';

describe('console dictionaries', () => {
  it('have exactly the same keys in Chinese and English, none empty', () => {
    const zh = keyPaths(consoleDictionaries[Language.Zh]).sort();
    const en = keyPaths(consoleDictionaries[Language.En]).sort();
    expect(en).toEqual(zh);
    expect(zh.length).toBeGreaterThan(90);
    for (const t of Object.values(consoleDictionaries)) {
      for (const path of zh) {
        const value = path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], t);
        const text = typeof value === 'function' ? (value as (...a: unknown[]) => string)(3, 'x') : value;
        expect(typeof text === 'string' && text.trim().length > 0, path).toBe(true);
      }
    }
  });

  it('translate every portal error code, every enum the console shows and every key', () => {
    for (const t of Object.values(consoleDictionaries)) {
      expect(Object.keys(t.errorByCode).sort()).toEqual([...Object.values(PortalErrorCode), ...Object.values(ClientErrorCode)].sort());
      expect(Object.keys(t.ticketStatus).sort()).toEqual(Object.values(TicketStatus).sort());
      expect(Object.keys(t.counterState).sort()).toEqual(Object.values(CounterState).sort());
      expect(Object.keys(t.priorityName).sort()).toEqual(Object.values(Priority).sort());
      expect(Object.keys(t.roleName).sort()).toEqual(Object.values(StaffRole).sort());
      expect(Object.keys(t.actions).sort()).toEqual(Object.values(ConsoleAction).sort());
      expect(Object.keys(t.liveStatus).sort()).toEqual(Object.values(FeedStatus).sort());
      expect(Object.keys(t.ratingLevel).sort()).toEqual(Object.values(RatingLevel).sort());
      expect(Object.keys(t.ratingDimension).sort()).toEqual([...RATING_DIMENSIONS].sort());
    }
  });

  it('uses the hall’s own words for the counter keys', () => {
    const zh = consoleDictionaries[Language.Zh].actions;
    expect([zh[ConsoleAction.CallNext], zh[ConsoleAction.Recall], zh[ConsoleAction.NoShow], zh[ConsoleAction.Hold], zh[ConsoleAction.CallBack], zh[ConsoleAction.Transfer]]).toEqual([
      '呼叫下一位', '重呼', '弃号', '挂起', '回呼', '转移',
    ]);
    expect(consoleDictionaries[Language.Zh].counterSign(3)).toBe('3 号窗口');
    // 好差评: the national five levels and the on-site dimensions, in their official words.
    expect(Object.values(consoleDictionaries[Language.Zh].ratingLevel)).toEqual(['非常满意', '满意', '基本满意', '不满意', '非常不满意']);
    expect(Object.values(consoleDictionaries[Language.Zh].ratingDimension)).toEqual(['办事效率', '业务水平', '服务态度']);
    expect(consoleDictionaries[Language.En].minutes(1)).toBe('1 minute');
  });
});
