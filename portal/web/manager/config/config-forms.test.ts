import { describe, expect, it } from 'vitest';
import { ServiceSettings } from '../../../../common/contract/config-api.js';
import { MaterialForm, ServiceChannel } from '../../../../common/contract/guide.js';
import { counterConfig, hallSettings, kioskConfig, serviceConfig } from '../testing/manager-fixtures.js';
import { counterDraftOf, counterSettingsOf } from './counter-form.js';
import { hallDraftOf, hallSettingsOf } from './hall-form.js';
import { kioskDraftOf, registerKioskOf, updateKioskOf } from './kiosk-form.js';
import { HOURS_FORMAT, newServiceOf, serviceDraftOf, serviceSettingsOf } from './service-form.js';
import { parseHoursText } from './weekly-hours-text.js';

const guide = {
  conditions: [{ zh: '本市户籍', en: 'Registered residents' }],
  materials: [{ name: { zh: '身份证', en: 'ID card' }, form: MaterialForm.Original, count: 1, note: null }],
  fees: { zh: '不收费', en: 'Free of charge' },
  legalTimeLimitDays: 20,
  promisedTimeLimitDays: 5,
  location: { zh: '二楼 A 区', en: 'Floor 2, area A' },
  channel: ServiceChannel.Both,
};

describe('service form', () => {
  it('gives back what it was opened with: the draft of a service is that service', () => {
    const service = serviceConfig({ guide });
    const draft = serviceDraftOf(service);
    expect(draft.hours['1']).toBe('09:00-12:00, 13:30-17:00');
    expect(draft.hours['2']).toBe('');
    const checked = serviceSettingsOf(draft);
    expect(checked.ok).toBe(true);
    const { id: _id, version: _v, searchKeys: _k, ...settings } = service;
    expect(checked.ok && checked.value).toEqual(ServiceSettings.parse(settings));
  });

  it('reads hours as people type them, and says which day is not in that form', () => {
    expect(parseHoursText('9:00-12:00， 13:30~17:00')).toEqual([
      { opens: '09:00', closes: '12:00' },
      { opens: '13:30', closes: '17:00' },
    ]);
    expect(parseHoursText('  ')).toEqual([]);
    expect(parseHoursText('morning')).toBeNull();
    const draft = { ...serviceDraftOf(serviceConfig()), nameZh: '社保卡业务', hours: { ...serviceDraftOf(serviceConfig()).hours, '2': 'morning', '3': '09:00-12:00, 11:00-13:00' } };
    const checked = serviceSettingsOf(draft);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.problems['hours.2']).toEqual([HOURS_FORMAT]);
    // The overlap is the contract's rule (WeeklyHours), said on the day that breaks it.
    expect(checked.problems['hours.3']).toEqual(['opening ranges of a day overlap']);
    const reversed = serviceSettingsOf({ ...draft, hours: { ...draft.hours, '2': '', '3': '17:00-09:00' } });
    expect(!reversed.ok && reversed.problems['hours.3']).toEqual(['closes must be after opens']);
    expect(checked.problems.nameZh).toBeUndefined();
  });

  it('checks the guide with the contract’s schema and says each problem with its path inside the JSON', () => {
    const broken = { ...guide, materials: [{ ...guide.materials[0], count: 0 }], channel: 'by-post' };
    const checked = serviceSettingsOf({ ...serviceDraftOf(serviceConfig()), guide: JSON.stringify(broken) });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.problems.guide?.some((p) => p.startsWith('materials.0.count: '))).toBe(true);
    expect(checked.problems.guide?.some((p) => p.startsWith('channel: '))).toBe(true);
    const notJson = serviceSettingsOf({ ...serviceDraftOf(serviceConfig()), guide: '{ conditions: [' });
    expect(!notJson.ok && notJson.problems.guide?.[0]).toMatch(/^JSON: /);
    // Empty: no guide.
    const none = serviceSettingsOf({ ...serviceDraftOf(serviceConfig()), guide: '' });
    expect(none.ok && none.value.guide).toBeNull();
  });

  it('puts each field’s problem on that field: prefix, quota, names, booking, a new service’s id', () => {
    const draft = { ...serviceDraftOf(null), serviceId: 'Bad Id', prefix: 'ab', nameZh: '', nameEn: 'Tax', dailyQuota: 'lots', bookable: true, minDaysAhead: '10', maxDaysAhead: '5' };
    const checked = newServiceOf(draft);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(Object.keys(checked.problems).sort()).toEqual(['dailyQuota', 'maxDaysAhead', 'nameZh', 'prefix', 'serviceId']);
    const fixed = newServiceOf({ ...draft, serviceId: 'tax', prefix: 'd', nameZh: '税务', dailyQuota: '', minDaysAhead: '1' });
    expect(fixed.ok && fixed.value).toMatchObject({ serviceId: 'tax', prefix: 'D', dailyQuota: null, booking: { minDaysAhead: 1, maxDaysAhead: 5 } });
  });
});

describe('counter, kiosk and hall forms', () => {
  it('a counter: the services ticked with their weights, who may sign in', () => {
    const draft = counterDraftOf(counterConfig(), ['social-insurance', 'housing-fund']);
    expect(draft.services['social-insurance']).toEqual({ on: false, weight: '10' });
    const checked = counterSettingsOf({ ...draft, services: { ...draft.services, 'social-insurance': { on: true, weight: '5' } } });
    expect(checked.ok && checked.value.services).toEqual([
      { serviceId: 'social-insurance', weight: 5 },
      { serviceId: 'housing-fund', weight: 20 },
    ]);
    const bad = counterSettingsOf({ ...draft, number: '-1', services: { ...draft.services, 'housing-fund': { on: true, weight: '500' } } });
    expect(!bad.ok && Object.keys(bad.problems).sort()).toEqual(['number', 'services']);
  });

  it('a kiosk: seconds to milliseconds, empty is the kiosk’s own, the PIN sent only when typed', () => {
    const draft = kioskDraftOf(kioskConfig());
    expect(draft.idleTimeoutSeconds).toBe('90');
    const unchanged = updateKioskOf(draft, 4);
    expect(unchanged.ok && unchanged.value).toEqual({ name: '东门一号机', kioskDigit: 1, offeredServiceIds: null, idleTimeoutMs: 90_000, elderlyAge: null, version: 4 });
    const newPin = updateKioskOf({ ...draft, technicianPin: '246810' }, 4);
    expect(newPin.ok && newPin.value.technicianPin).toBe('246810');
    const removed = updateKioskOf({ ...draft, technicianPin: '246810', removePin: true }, 4);
    expect(removed.ok && removed.value.technicianPin).toBeNull();
    const register = registerKioskOf({ ...kioskDraftOf(null), kioskId: 'kiosk-3', kioskDigit: '3', allServices: false, offered: ['housing-fund'] });
    expect(register.ok && register.value).toEqual({
      kioskId: 'kiosk-3', kioskDigit: 3, name: null, offeredServiceIds: ['housing-fund'], idleTimeoutMs: null, elderlyAge: null, technicianPin: null,
    });
    const bad = registerKioskOf({ ...kioskDraftOf(null), kioskId: 'kiosk 3', kioskDigit: '12', idleTimeoutSeconds: '1', technicianPin: '12' });
    expect(!bad.ok && Object.keys(bad.problems).sort()).toEqual(['idleTimeoutSeconds', 'kioskDigit', 'kioskId', 'technicianPin']);
  });

  it('the hall: the calendar checked as JSON with the contract’s schema, the notice both languages or none', () => {
    const draft = hallDraftOf(hallSettings());
    const same = hallSettingsOf(draft);
    expect(same.ok && same.value.calendar).toEqual([{ day: '2025-05-01', kind: 'holiday' }]);
    const noNotice = hallSettingsOf({ ...draft, noticeZh: '', noticeEn: '', personalDataDays: '' });
    expect(noNotice.ok && [noNotice.value.displayNotice, noNotice.value.retention.personalDataDays]).toEqual([null, null]);
    const bad = hallSettingsOf({ ...draft, calendar: '[{"day":"2025-13-01","kind":"holiday"},{"day":"2025-05-03","kind":"party"}]', timeZone: 'Mars/Olympus', noticeEn: '' });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.problems.calendar?.some((p) => p.startsWith('1.kind: '))).toBe(true);
    expect(bad.problems.timeZone).toHaveLength(1);
    expect(bad.problems.noticeEn).toHaveLength(1);
  });
});
