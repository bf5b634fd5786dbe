import { ConsoleCatalogResponse } from '../../../common/contract/console-api.js';
import { CounterState, TicketStatus, type CounterView, type QueueListResponse, type QueueTicket, type WaitingTicket } from '../../../common/contract/counter-api.js';
import type { DisplayStateResponse } from '../../../common/contract/display-api.js';
import { HallEventKind, type HallEventEnvelope } from '../../../common/contract/hall-events.js';
import { StaffRole } from '../../../common/contract/route-spec.js';
import type { SessionResponse } from '../../../common/contract/staff-api.js';
import { Priority } from '../../../common/domain/priority.js';
import { NumberSource } from '../../../common/domain/ticket-number.js';

/** Contract-valid sample data for the pages' tests. 10:00 in Shanghai on 2025-03-10. */
export const NOW_ISO = '2025-03-10T02:00:00.000Z';
export const NOW = Date.parse(NOW_ISO);

export const sampleCatalog: ConsoleCatalogResponse = ConsoleCatalogResponse.parse({
  hall: { hallId: 'demo-city-hall', name: { zh: '市民之家政务服务大厅', en: 'Citizen Service Hall' }, timeZone: 'Asia/Shanghai' },
  services: [
    { id: 'social-insurance', prefix: 'A', name: { zh: '社保业务', en: 'Social insurance' }, description: null, enabled: true, sortOrder: 10 },
    { id: 'housing-fund', prefix: 'C', name: { zh: '住房公积金', en: 'Housing fund' }, description: null, enabled: true, sortOrder: 20 },
  ],
  serverTime: NOW_ISO,
});

let nextId = 1;
/** A UUID that differs per call and is stable per test order. */
export function sampleUuid(): string {
  return `0195a000-0000-7000-8000-${String(nextId++).padStart(12, '0')}`;
}

export function sampleTicket(overrides: Partial<QueueTicket> = {}): QueueTicket {
  return {
    ticketId: sampleUuid(),
    serviceId: 'social-insurance',
    number: 'A051',
    numberSource: NumberSource.Portal,
    priority: Priority.Normal,
    status: TicketStatus.Waiting,
    kioskId: 'kiosk-1',
    counterId: null,
    targetCounterId: null,
    maskedName: null,
    appointmentAt: null,
    queueAt: '2025-03-10T01:48:00.000Z',
    receivedAt: '2025-03-10T01:48:00.000Z',
    calledAt: null,
    callCount: 0,
    caseNumber: null,
    ...overrides,
  };
}

export function waiting(position: number, overrides: Partial<QueueTicket> = {}): WaitingTicket {
  return { ...sampleTicket(overrides), position };
}

export function sampleCounter(overrides: Partial<CounterView> = {}): CounterView {
  return {
    counterId: 'window-3',
    number: 3,
    name: { zh: '公积金不动产', en: 'Housing and property' },
    state: CounterState.Idle,
    staffId: 'clerk1',
    staffName: '李娜',
    serviceIds: ['social-insurance', 'housing-fund'],
    activeServiceIds: [],
    currentTicket: null,
    ...overrides,
  };
}

export function sampleQueue(overrides: Partial<QueueListResponse> = {}): QueueListResponse {
  return { waiting: [], held: [], noShows: [], active: [], noShowAfterCalls: 3, serverTime: NOW_ISO, ...overrides };
}

export const sampleSession: SessionResponse = {
  staff: { hallId: 'demo-city-hall', staffId: 'clerk1', username: 'clerk1', displayName: '李娜', role: StaffRole.Clerk },
  csrfToken: 'csrf-token-0123456789abcdef',
  expiresAt: '2025-03-10T10:00:00.000Z',
};

export function sampleDisplayState(overrides: Partial<DisplayStateResponse> = {}): DisplayStateResponse {
  return {
    hall: { hallId: 'demo-city-hall', name: { zh: '市民之家政务服务大厅', en: 'Citizen Service Hall' } },
    settings: { notice: { zh: '请保管好随身物品', en: 'Please keep your belongings with you' }, voiceRepeat: 2, voiceEnglish: false },
    services: sampleCatalog.services.map(({ id, prefix, name }) => ({ id, prefix, name })),
    waiting: [
      { serviceId: 'social-insurance', waiting: 4 },
      { serviceId: 'housing-fund', waiting: 0 },
    ],
    recentCalls: [],
    lastEventSeq: 10,
    serverTime: NOW_ISO,
    ...overrides,
  };
}

export function calledEvent(seq: number, overrides: { ticketId?: string; number?: string; counterNumber?: number; recall?: boolean; at?: string } = {}): HallEventEnvelope {
  const counterNumber = overrides.counterNumber ?? 3;
  return {
    kind: HallEventKind.TicketCalled,
    seq,
    at: overrides.at ?? NOW_ISO,
    payload: {
      ticketId: overrides.ticketId ?? sampleUuid(),
      number: overrides.number ?? 'A051',
      serviceId: 'social-insurance',
      counterId: `window-${counterNumber}`,
      counterNumber,
      counterName: { zh: '综合窗口', en: 'General' },
      callCount: overrides.recall ? 2 : 1,
      recall: overrides.recall ?? false,
    },
  };
}
