import type { HallInfo } from '../../../common/contract/catalog.js';
import { NumberSource } from '../../../common/domain/ticket-number.js';
import { Priority } from '../../../common/domain/priority.js';
import {
  AlertKind,
  AlertSeverity,
  AuditAction,
  AuditOutcome,
  ConnectivityState,
  DeviceKind,
  DeviceState,
  PrinterState,
  PrintState,
  ScanKind,
  ScanSource,
  VisitorCardType,
  type Connectivity,
  type Diagnostics,
  type PrinterStatus,
  type ScanResult,
  type ServiceView,
  type TechnicianSession,
  type TicketView,
  type VisitorView,
} from '../../../common/contract/kiosk-api.js';

/** Contract-valid sample data for the renderer's tests. */

export const sampleHall: HallInfo = {
  hallId: 'hall-1',
  name: { zh: '市民之家政务服务大厅', en: 'Citizen Service Hall' },
  timeZone: 'Asia/Shanghai',
};

export const sampleServices: ServiceView[] = [
  { id: 'social-insurance', prefix: 'A', name: { zh: '社保业务', en: 'Social insurance' }, description: null },
  { id: 'business-license', prefix: 'B', name: { zh: '企业登记', en: 'Business registration' }, description: null },
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
