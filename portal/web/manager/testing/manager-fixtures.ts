import {
  CounterConfigView,
  HallSettingsView,
  KioskConfigView,
  ServiceConfigView,
  StaffMemberView,
} from '../../../../common/contract/config-api.js';
import { DeviceState } from '../../../../common/contract/device-status.js';
import { KioskHealthReason, KioskHealthState, KioskHealthView } from '../../../../common/contract/kiosk-health-api.js';
import { PrinterState } from '../../../../common/contract/kiosk-status.js';
import { RatingLevel } from '../../../../common/contract/ratings-api.js';
import { StaffRole } from '../../../../common/contract/route-spec.js';
import type { SessionResponse } from '../../../../common/contract/staff-api.js';
import { StatsBy, StatsResponse, type StatsRow } from '../../../../common/contract/stats-api.js';
import { NOW, NOW_ISO, sampleCatalog, sampleSession } from '../../testing/fixtures.js';

/** Contract-valid sample data for the manager console's tests (parsed with the contracts' schemas). */

export { NOW, NOW_ISO, sampleCatalog };

export const managerSession: SessionResponse = {
  ...sampleSession,
  staff: { hallId: 'demo-city-hall', staffId: 'manager', username: 'manager', displayName: '赵主任', role: StaffRole.Manager },
};

export const clerkSession: SessionResponse = sampleSession;

const ago = (ms: number) => new Date(NOW - ms).toISOString();

export function healthView(overrides: Partial<KioskHealthView> & { kioskId: string; kioskDigit: number }): KioskHealthView {
  return KioskHealthView.parse({
    state: KioskHealthState.Green,
    findings: [],
    lastSeenAt: ago(12_000),
    silentAfterMs: 60_000,
    latest: {
      reportedAt: ago(12_500),
      appVersion: '0.1.0',
      pullIntervalMs: 30_000,
      printer: { state: PrinterState.Ready, errors: 0 },
      reader: { state: DeviceState.Ready, errors: 0 },
      scanner: { state: DeviceState.NotConfigured, errors: 0 },
      backlog: 0,
      quarantined: 0,
      clockOffsetMs: 20,
      heldClockOffsetMs: null,
      dataFreeBytes: 5 * 1024 ** 3,
      receivedAt: ago(12_000),
      observedClockOffsetMs: 500,
      backlogGrowthReports: 0,
    },
    ...overrides,
  });
}

/** Three kiosks: kiosk-2 red (paper out, silent), kiosk-1 green, kiosk-3 amber (paper near end), never in digit order. */
export function sampleWall(): KioskHealthView[] {
  const paperOut = healthView({ kioskId: 'kiosk-2', kioskDigit: 2, lastSeenAt: ago(3 * 60_000) });
  return [
    {
      ...paperOut,
      state: KioskHealthState.Red,
      findings: [
        { reason: KioskHealthReason.PrinterPaperOut, severity: KioskHealthState.Red },
        { reason: KioskHealthReason.Silent, severity: KioskHealthState.Red },
      ],
      latest: paperOut.latest ? { ...paperOut.latest, printer: { state: PrinterState.PaperOut, errors: 2 } } : null,
    },
    healthView({ kioskId: 'kiosk-1', kioskDigit: 1 }),
    healthView({
      kioskId: 'kiosk-3',
      kioskDigit: 3,
      state: KioskHealthState.Amber,
      findings: [{ reason: KioskHealthReason.PrinterPaperNearEnd, severity: KioskHealthState.Amber }],
    }),
  ];
}

function row(key: string, name: { zh: string; en: string } | null, arrivals: number, overrides: Partial<StatsRow> = {}): StatsRow {
  return {
    key,
    name,
    arrivals,
    walkIns: arrivals - 2,
    appointments: 2,
    served: arrivals - 3,
    noShows: 2,
    transfers: 1,
    cancelled: 1,
    waiting: { count: arrivals, meanSeconds: 400, medianSeconds: 330, p90Seconds: 912 },
    serving: { count: arrivals - 3, meanSeconds: 300, medianSeconds: 270, p90Seconds: 600 },
    ratings: {
      total: 10,
      levels: {
        [RatingLevel.VerySatisfied]: 6,
        [RatingLevel.Satisfied]: 2,
        [RatingLevel.BasicallySatisfied]: 1,
        [RatingLevel.Dissatisfied]: 1,
        [RatingLevel.VeryDissatisfied]: 0,
      },
      satisfactionRate: 0.9,
    },
    rectifications: { open: 1, overdue: 0 },
    ...overrides,
  };
}

export function sampleStats(by: StatsBy = StatsBy.Day, overrides: Partial<StatsResponse> = {}): StatsResponse {
  const rows =
    by === StatsBy.Service
      ? [row('social-insurance', { zh: '社保业务', en: 'Social insurance' }, 40), row('housing-fund', { zh: '住房公积金', en: 'Housing fund' }, 20)]
      : by === StatsBy.Hour
        ? [row('09', null, 25), row('10', null, 35)]
        : [row('2025-03-09', null, 30), row('2025-03-10', null, 30, { waiting: { count: 0, meanSeconds: null, medianSeconds: null, p90Seconds: null } })];
  return StatsResponse.parse({
    from: '2025-03-04',
    to: '2025-03-10',
    by,
    timeZone: 'Asia/Shanghai',
    today: '2025-03-10',
    rows,
    total: row('total', null, 60),
    ...overrides,
  });
}

export function serviceConfig(overrides: Partial<ServiceConfigView> = {}): ServiceConfigView {
  return ServiceConfigView.parse({
    ...sampleCatalog.services[0],
    hours: { '1': [{ opens: '09:00', closes: '12:00' }, { opens: '13:30', closes: '17:00' }], '6': [{ opens: '09:00', closes: '12:00' }] },
    guide: null,
    searchKeys: [],
    booking: { slotMinutes: 30, capacity: 4, minDaysAhead: 1, maxDaysAhead: 30 },
    dailyQuota: 300,
    version: 3,
    ...overrides,
  });
}

export function counterConfig(overrides: Partial<CounterConfigView> = {}): CounterConfigView {
  return CounterConfigView.parse({
    counterId: 'window-3',
    number: 3,
    name: { zh: '公积金不动产', en: 'Housing and property' },
    enabled: true,
    services: [{ serviceId: 'housing-fund', weight: 20 }],
    allowedStaffIds: ['clerk1'],
    version: 2,
    ...overrides,
  });
}

export function kioskConfig(overrides: Partial<KioskConfigView> = {}): KioskConfigView {
  return KioskConfigView.parse({
    kioskId: 'kiosk-1',
    name: '东门一号机',
    kioskDigit: 1,
    active: true,
    createdAt: '2025-03-01T01:00:00.000Z',
    revokedAt: null,
    offeredServiceIds: null,
    idleTimeoutMs: 90_000,
    elderlyAge: null,
    technicianPinSet: true,
    version: 4,
    ...overrides,
  });
}

export function hallSettings(overrides: Partial<HallSettingsView> = {}): HallSettingsView {
  return HallSettingsView.parse({
    hallId: 'demo-city-hall',
    name: sampleCatalog.hall.name,
    timeZone: 'Asia/Shanghai',
    businessDayStartHour: 0,
    calendar: [{ day: '2025-05-01', kind: 'holiday' }],
    checkInWindow: { beforeMinutes: 30, afterMinutes: 15 },
    ticketsOnlyInHours: false,
    displayNotice: { zh: '请保管好随身物品', en: 'Please keep your belongings with you' },
    voice: { repeat: 2, english: false },
    noShowAfterCalls: 3,
    retention: { personalDataDays: null, eventPayloadDays: 30 },
    rectificationDays: 5,
    catalogVersion: 7,
    version: 5,
    ...overrides,
  });
}

export const sampleStaff = [
  StaffMemberView.parse({ staffId: 'clerk1', displayName: '李娜', role: StaffRole.Clerk, username: 'clerk1', disabled: false }),
  StaffMemberView.parse({ staffId: 'clerk2', displayName: '王强', role: StaffRole.Clerk, username: 'clerk2', disabled: false }),
  StaffMemberView.parse({ staffId: 'manager', displayName: '赵主任', role: StaffRole.Manager, username: 'manager', disabled: false }),
];

/** A kiosk token as the portal issues it (43 URL-safe characters). */
export const SAMPLE_TOKEN = 'Tk_0123456789abcdefghijklmnopqrstuvwxyzABCD';
