import type { z } from 'zod';
import { CaseStatus, CertificateVerdict, type CaseView } from '../../../common/contract/cases-api.js';
import { HallInfo } from '../../../common/contract/catalog.js';
import { MaterialForm, ServiceChannel, type ServiceGuide } from '../../../common/contract/guide.js';
import type { RateableTicket } from '../../../common/contract/sync-api.js';
import { NumberSource } from '../../../common/domain/ticket-number.js';
import { Priority } from '../../../common/domain/priority.js';
import {
  AlertKind,
  AlertSeverity,
  AuditAction,
  AuditOutcome,
  CheckInOutcome,
  ConnectivityState,
  DeviceKind,
  DeviceState,
  PrinterState,
  PrintState,
  ScanKind,
  ScanSource,
  ServiceView,
  VisitorCardType,
  type CheckInResult,
  type Connectivity,
  type KioskCasesView,
  type KioskResponse,
  type Diagnostics,
  type PrinterStatus,
  type ScanResult,
  type TechnicianSession,
  type TicketView,
  type VisitorView,
} from '../../../common/contract/kiosk-api.js';

/** Contract-valid sample data for the renderer's tests. */

export const sampleHall: HallInfo = HallInfo.parse({
  hallId: 'hall-1',
  name: { zh: '市民之家政务服务大厅', en: 'Citizen Service Hall' },
  timeZone: 'Asia/Shanghai',
});

/** A service as the core lists it; unset issue-9 fields take the contract's defaults. */
export function sampleService(input: z.input<typeof ServiceView>): ServiceView {
  return ServiceView.parse(input);
}

const WEEKDAY_HOURS = [
  { opens: '09:00', closes: '12:00' },
  { opens: '13:30', closes: '17:00' },
];

export const sampleGuide: ServiceGuide = {
  conditions: [
    { zh: '本市户籍或在本市就业的人员', en: 'Residents of the city, or people working in it' },
    { zh: '已参加社会保险', en: 'Enrolled in social insurance' },
  ],
  materials: [
    { name: { zh: '居民身份证', en: 'Resident ID card' }, form: MaterialForm.Original, count: 1, note: null },
    { name: { zh: '户口簿', en: 'Household register' }, form: MaterialForm.OriginalAndCopy, count: 2, note: { zh: '首页及本人页', en: 'Front page and own page' } },
  ],
  fees: { zh: '不收费', en: 'Free of charge' },
  legalTimeLimitDays: 20,
  promisedTimeLimitDays: 5,
  location: { zh: '一楼 A 区 3–6 号窗口', en: 'Ground floor, zone A, counters 3–6' },
  channel: ServiceChannel.Both,
};

export const sampleServices: ServiceView[] = [
  sampleService({
    id: 'social-insurance',
    prefix: 'A',
    name: { zh: '社保业务', en: 'Social insurance' },
    description: null,
    hours: { '1': WEEKDAY_HOURS, '2': WEEKDAY_HOURS, '3': WEEKDAY_HOURS, '4': WEEKDAY_HOURS, '5': WEEKDAY_HOURS, '6': [{ opens: '09:00', closes: '12:00' }] },
    guide: sampleGuide,
    searchKeys: ['shebaoyewu', 'sbyw', 'shebao', 'sb', 'yewu', 'yw'],
  }),
  sampleService({ id: 'business-license', prefix: 'B', name: { zh: '企业登记', en: 'Business registration' }, description: null, searchKeys: ['qiyedengji', 'qydj'] }),
  sampleService({
    id: 'housing-fund',
    prefix: 'C',
    name: { zh: '住房公积金', en: 'Housing provident fund' },
    description: null,
    searchKeys: ['zhufanggongjijin', 'zfgjj', 'zhufang', 'zf', 'gongjijin', 'gjj'],
  }),
];

export function sampleTicket(overrides: Partial<TicketView> = {}): TicketView {
  return {
    ticketId: '0193a5e8-7f3c-7a4b-9c2d-1e2f3a4b5c6d',
    number: 'A023',
    numberSource: NumberSource.Portal,
    serviceId: 'social-insurance',
    serviceName: { zh: '社保业务', en: 'Social insurance' },
    issuedAt: '2025-03-04T06:05:00.000Z',
    peopleAhead: 4,
    peopleAheadApproximate: false,
    issuedOffline: false,
    printState: PrintState.Printing,
    appointmentStart: null,
    ...overrides,
  };
}

export function samplePrinter(state: PrinterState = PrinterState.Ready): PrinterStatus {
  return { state, checkedAt: '2025-03-04T06:00:00.000Z' };
}

export function sampleConnectivity(state: ConnectivityState = ConnectivityState.Online): Connectivity {
  return { state, lastSyncAt: null, backlog: 0, clockOffsetMs: null, quarantined: 0 };
}

export function sampleVisitor(overrides: Partial<VisitorView> = {}): VisitorView {
  return {
    maskedName: '刘*䶮',
    maskedIdNumber: '1101**********1234',
    cardType: VisitorCardType.Mainland,
    age: 67,
    priority: Priority.Elderly,
    identifiedAt: '2025-03-04T06:00:00.000Z',
    expiresAt: '2025-03-04T06:01:00.000Z',
    ...overrides,
  };
}

export function sampleScan(overrides: Partial<ScanResult> = {}): ScanResult {
  return {
    kind: ScanKind.Appointment,
    message: 'appointment HKA-7Q2M9XKD',
    source: ScanSource.KeyboardWedge,
    reference: 'HKA-7Q2M9XKD',
    scannedAt: '2025-03-04T06:00:30.000Z',
    ...overrides,
  };
}

export function sampleSession(): TechnicianSession {
  return { session: 'c2Vzc2lvbi10b2tlbi1mb3ItdGVzdHMtb25seS0xMjM0', expiresAt: '2025-03-04T06:10:00.000Z' };
}

export function sampleDiagnostics(overrides: Partial<Diagnostics> = {}): Diagnostics {
  return {
    generatedAt: '2025-03-04T06:02:00.000Z',
    kioskId: 'kiosk-1',
    reader: {
      configured: true,
      state: DeviceState.Ready,
      port: '/tmp/ttyKioskReader',
      baudRate: 115200,
      samId: '05.01-20250304-0000000001-1234567890',
      lastReadAt: '2025-03-04T06:00:00.000Z',
      cardsRead: 3,
      errorCounts: { '80': 2 },
    },
    scanner: {
      configured: false,
      state: DeviceState.NotConfigured,
      port: null,
      baudRate: null,
      lastScanAt: null,
      scans: 0,
      errorCounts: {},
    },
    printer: {
      state: PrinterState.PaperOut,
      endpoint: 'tcp://127.0.0.1:9100',
      checkedAt: '2025-03-04T06:01:59.000Z',
      jobsPrinted: 12,
      errorCounts: { 'device-error': 1 },
    },
    sync: {
      connectivity: { ...sampleConnectivity(), backlog: 2, clockOffsetMs: -120, quarantined: 1 },
      quarantinedEvents: [
        {
          seq: 7,
          eventId: '0193a5e8-7f3c-7a4b-9c2d-1e2f3a4b5c70',
          code: 'unknown-service',
          reason: 'service gone from the catalog',
          quarantinedAt: '2025-03-04T05:00:00.000Z',
        },
      ],
      clockJump: null,
    },
    alerts: [
      {
        id: 'printer-not-ready',
        kind: AlertKind.PrinterNotReady,
        severity: AlertSeverity.Critical,
        device: DeviceKind.Printer,
        message: 'printer is paper-out before issuance; ticket A024 shown on screen',
        raisedAt: '2025-03-04T06:01:00.000Z',
        lastSeenAt: '2025-03-04T06:01:30.000Z',
        count: 2,
        resolvedAt: null,
      },
    ],
    reprintable: [
      {
        ticketId: '0193a5e8-7f3c-7a4b-9c2d-1e2f3a4b5c6e',
        number: 'A024',
        serviceId: 'social-insurance',
        issuedAt: '2025-03-04T06:01:00.000Z',
        printState: PrintState.OnScreenOnly,
      },
    ],
    audit: [
      {
        id: 1,
        at: '2025-03-04T06:02:00.000Z',
        actor: 'technician#3fa2c1',
        action: AuditAction.Login,
        outcome: AuditOutcome.Ok,
        detail: 'PIN accepted',
      },
    ],
    logs: ['2025-03-04T06:01:00.000Z warn printer: paper-out'],
    ...overrides,
  };
}

/** An appointment at 09:30 on 2025-03-04 (Shanghai), check-in window 09:00–09:45. */
export function sampleCheckIn(outcome: CheckInOutcome, overrides: Partial<CheckInResult> = {}): CheckInResult {
  return {
    outcome,
    ticket: null,
    appointment: {
      reference: 'HKA-7Q2M9XKD',
      serviceId: 'social-insurance',
      serviceName: { zh: '社保业务', en: 'Social insurance' },
      businessDay: '2025-03-04',
      start: '2025-03-04T01:30:00.000Z',
      end: '2025-03-04T02:00:00.000Z',
      checkInFrom: '2025-03-04T01:00:00.000Z',
      checkInUntil: '2025-03-04T01:45:00.000Z',
    },
    ...overrides,
  };
}

export const SAMPLE_CERTIFICATE_CODE = 'HKC1.k1.eyJjZXJ0aWZpY2F0ZUlkIjoiMSJ9.c2lnbmF0dXJl';

export function sampleCase(overrides: Partial<CaseView> = {}): CaseView {
  return {
    caseNumber: 'SB-20250301-0007',
    serviceId: 'social-insurance',
    serviceName: { zh: '社保业务', en: 'Social insurance' },
    status: CaseStatus.Processing,
    timeline: [
      { status: CaseStatus.Accepted, at: '2025-03-01T02:10:00.000Z', note: null },
      { status: CaseStatus.Processing, at: '2025-03-02T06:00:00.000Z', note: '材料已送审核科室' },
    ],
    dueDay: '2025-03-08',
    certificate: null,
    updatedAt: '2025-03-02T06:00:00.000Z',
    ...overrides,
  };
}

/** A concluded case with its e-certificate. */
export function sampleConcludedCase(): CaseView {
  return sampleCase({
    caseNumber: 'SB-20250220-0003',
    status: CaseStatus.Concluded,
    timeline: [
      { status: CaseStatus.Accepted, at: '2025-02-20T02:00:00.000Z', note: null },
      { status: CaseStatus.Processing, at: '2025-02-21T02:00:00.000Z', note: null },
      { status: CaseStatus.Concluded, at: '2025-02-25T07:30:00.000Z', note: null },
    ],
    dueDay: null,
    certificate: { payload: sampleCertificatePayload(), code: SAMPLE_CERTIFICATE_CODE },
  });
}

export function sampleCertificatePayload() {
  return {
    certificateId: '0193a5e8-7f3c-7a4b-9c2d-1e2f3a4b5c99',
    hallId: 'hall-1',
    caseNumber: 'SB-20250220-0003',
    serviceId: 'social-insurance',
    title: { zh: '社保参保证明', en: 'Certificate of social insurance' },
    holderName: '刘*䶮',
    issuedAt: '2025-02-25T07:30:00.000Z',
  };
}

export function sampleCases(overrides: Partial<KioskCasesView> = {}): KioskCasesView {
  return { cases: [sampleCase(), sampleConcludedCase()], fetchedAt: '2025-03-04T06:00:00.000Z', fromCache: false, ...overrides };
}

export function sampleVerification(verdict: CertificateVerdict = CertificateVerdict.Valid): KioskResponse<'verifyCertificate'> {
  return { verdict, certificate: verdict === CertificateVerdict.Valid ? sampleCertificatePayload() : null };
}

export function sampleRateable(overrides: Partial<RateableTicket> = {}): RateableTicket {
  return {
    ticketId: '0193a5e8-7f3c-7a4b-9c2d-1e2f3a4b5c6d',
    number: 'A023',
    serviceId: 'social-insurance',
    businessDay: '2025-03-04',
    counterNumber: 3,
    finishedAt: '2025-03-04T06:35:00.000Z',
    ...overrides,
  };
}
