import { BookingConfirmation, CitizenCatalogResponse, HoldResponse, SlotsResponse } from '../../../../common/contract/booking-api.js';
import { CaseStatus, CaseView, CertificateVerdict, VerifyCertificateResponse } from '../../../../common/contract/cases-api.js';
import { MaterialForm, ServiceChannel } from '../../../../common/contract/guide.js';
import { RatingChannel, RatingLevel, RatingView } from '../../../../common/contract/ratings-api.js';
import { CalendarDayKind } from '../../../../common/domain/hall-calendar.js';
import type { z } from 'zod';

/**
 * Contract-valid sample answers for the citizen pages' tests, parsed with the contract schemas (so
 * a contract change that breaks them fails here first). 10:00 in Shanghai on Monday 2025-03-10.
 */
export const NOW_ISO = '2025-03-10T02:00:00.000Z';
export const NOW = Date.parse(NOW_ISO);
export const TODAY = '2025-03-10';
export const HALL_ID = 'demo-city-hall';
/** A GB 11643 number with a correct check character, X (born 1990-03-07). */
export const VALID_ID = '11010519900307128X';
/** The same with its last digit changed: a typo the check character catches. */
export const MISTYPED_ID = '110105199003071289';

const weekdays = { opens: '09:00', closes: '12:00' };
const afternoon = { opens: '13:30', closes: '17:00' };

export const sampleCitizenCatalog: z.infer<typeof CitizenCatalogResponse> = CitizenCatalogResponse.parse({
  hall: {
    hallId: HALL_ID,
    name: { zh: '市民之家政务服务大厅', en: 'Citizen Service Hall' },
    timeZone: 'Asia/Shanghai',
    calendar: [
      { day: '2025-04-04', kind: CalendarDayKind.Holiday, note: '清明节' },
      { day: '2025-04-27', kind: CalendarDayKind.Workday, asWeekday: 1 },
      { day: '2024-12-31', kind: CalendarDayKind.Holiday },
    ],
    checkInWindow: { beforeMinutes: 30, afterMinutes: 15 },
  },
  services: [
    {
      id: 'social-insurance',
      prefix: 'A',
      name: { zh: '社保业务', en: 'Social insurance' },
      description: { zh: '参保登记、缴费证明', en: 'Registration and payment certificates' },
      enabled: true,
      sortOrder: 10,
      hours: { '1': [weekdays, afternoon], '2': [weekdays, afternoon], '3': [weekdays, afternoon], '4': [weekdays, afternoon], '5': [weekdays] },
      guide: {
        conditions: [{ zh: '本市参保人员', en: 'Insured in this city' }],
        materials: [
          { name: { zh: '居民身份证', en: 'Resident ID card' }, form: MaterialForm.Original, count: 1, note: null },
          { name: { zh: '户口簿', en: 'Household register' }, form: MaterialForm.OriginalAndCopy, count: 2, note: { zh: '首页及本人页', en: 'Cover and own page' } },
        ],
        fees: { zh: '不收费', en: 'Free of charge' },
        legalTimeLimitDays: 20,
        promisedTimeLimitDays: 5,
        location: { zh: '一楼 A 区 1-4 号窗口', en: 'Ground floor, zone A, counters 1-4' },
        channel: ServiceChannel.Both,
      },
      searchKeys: ['shebaoyewu', 'sbyw', 'shebao', 'sb'],
      booking: { slotMinutes: 30, capacity: 4, minDaysAhead: 1, maxDaysAhead: 14 },
    },
    {
      id: 'housing-fund',
      prefix: 'C',
      name: { zh: '住房公积金', en: 'Housing fund' },
      description: null,
      enabled: true,
      sortOrder: 20,
      hours: { '1': [weekdays] },
      guide: null,
      searchKeys: ['zhufanggongjijin', 'zfgjj', 'gongjijin', 'gjj'],
      booking: null,
    },
    {
      id: 'closed-service',
      prefix: 'K',
      name: { zh: '已停办事项', en: 'Discontinued' },
      description: null,
      enabled: false,
      sortOrder: 30,
      searchKeys: ['yitingban'],
    },
  ],
  serverTime: NOW_ISO,
});

export const sampleHalls = [{ hallId: HALL_ID, name: { zh: '市民之家政务服务大厅', en: 'Citizen Service Hall' } }];

/** Two days of slots: Tuesday with a full 09:00 and free 09:30, Wednesday all full. */
export const sampleSlots: z.infer<typeof SlotsResponse> = SlotsResponse.parse({
  serviceId: 'social-insurance',
  timeZone: 'Asia/Shanghai',
  firstDay: '2025-03-11',
  lastDay: '2025-03-24',
  slots: [
    { day: '2025-03-11', opens: '09:00', closes: '09:30', start: '2025-03-11T01:00:00.000Z', end: '2025-03-11T01:30:00.000Z', capacity: 4, available: 0 },
    { day: '2025-03-11', opens: '09:30', closes: '10:00', start: '2025-03-11T01:30:00.000Z', end: '2025-03-11T02:00:00.000Z', capacity: 4, available: 3 },
    { day: '2025-03-12', opens: '09:00', closes: '09:30', start: '2025-03-12T01:00:00.000Z', end: '2025-03-12T01:30:00.000Z', capacity: 4, available: 0 },
  ],
  serverTime: NOW_ISO,
});

export const HOLD_ID = '0195a000-0000-7000-8000-00000000a001';

export const sampleHold: z.infer<typeof HoldResponse> = HoldResponse.parse({
  holdId: HOLD_ID,
  expiresAt: '2025-03-10T02:05:00.000Z',
  slot: { day: '2025-03-11', opens: '09:30', closes: '10:00', start: '2025-03-11T01:30:00.000Z', end: '2025-03-11T02:00:00.000Z' },
});

export const sampleConfirmation: BookingConfirmation = BookingConfirmation.parse({
  reference: 'HKA-7Q2M9XKD',
  qrText: 'HKA-7Q2M9XKD',
  cancelCode: '482913',
  hallName: { zh: '市民之家政务服务大厅', en: 'Citizen Service Hall' },
  serviceName: { zh: '社保业务', en: 'Social insurance' },
  slot: sampleHold.slot,
  checkInFrom: '2025-03-11T01:00:00.000Z',
  checkInUntil: '2025-03-11T01:45:00.000Z',
});

export const CERTIFICATE_CODE = 'HKC1.k2025a.eyJjZXJ0aWZpY2F0ZUlkIjoiMDE5NWEifQ.c2lnbmF0dXJl';

export const sampleCertificatePayload = {
  certificateId: '0195a000-0000-7000-8000-00000000c001',
  hallId: HALL_ID,
  caseNumber: 'SB20250310-0007',
  serviceId: 'social-insurance',
  title: { zh: '社保参保证明', en: 'Social insurance certificate' },
  holderName: '张*三',
  issuedAt: '2025-03-12T06:30:00.000Z',
};

export function sampleCase(overrides: Partial<CaseView> = {}): CaseView {
  return CaseView.parse({
    caseNumber: 'SB20250310-0007',
    serviceId: 'social-insurance',
    serviceName: { zh: '社保业务', en: 'Social insurance' },
    status: CaseStatus.Processing,
    timeline: [
      { status: CaseStatus.Accepted, at: '2025-03-10T02:10:00.000Z', note: null },
      { status: CaseStatus.Processing, at: '2025-03-10T03:00:00.000Z', note: '材料已转审核科室 <b>不是HTML</b>' },
    ],
    dueDay: '2025-03-17',
    certificate: null,
    updatedAt: '2025-03-10T03:00:00.000Z',
    ...overrides,
  });
}

export function concludedCase(): CaseView {
  return sampleCase({
    status: CaseStatus.Concluded,
    timeline: [
      { status: CaseStatus.Accepted, at: '2025-03-10T02:10:00.000Z', note: null },
      { status: CaseStatus.Processing, at: '2025-03-10T03:00:00.000Z', note: null },
      { status: CaseStatus.Concluded, at: '2025-03-12T06:30:00.000Z', note: null },
    ],
    certificate: { payload: sampleCertificatePayload, code: CERTIFICATE_CODE },
  });
}

export function sampleVerification(verdict: CertificateVerdict): z.infer<typeof VerifyCertificateResponse> {
  return VerifyCertificateResponse.parse({ verdict, certificate: verdict === CertificateVerdict.Malformed ? null : sampleCertificatePayload });
}

export const TICKET_ID = '0195a000-0000-7000-8000-00000000b001';

export function sampleRating(overall: RatingLevel = RatingLevel.Satisfied): RatingView {
  return RatingView.parse({
    ratingId: '0195a000-0000-7000-8000-00000000d001',
    ticketId: TICKET_ID,
    number: 'A001',
    businessDay: TODAY,
    serviceId: 'social-insurance',
    counterId: 'window-3',
    staffId: 'clerk1',
    channel: RatingChannel.Web,
    overall,
    efficiency: overall,
    expertise: overall,
    attitude: overall,
    comment: null,
    ratedAt: NOW_ISO,
  });
}
