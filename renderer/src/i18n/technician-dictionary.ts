import type {
  AlertSeverity,
  ConnectivityState,
  DeviceKind,
  DeviceState,
  PrinterState,
  PrintState,
} from '../../../common/contract/kiosk-api.js';

/** Every string of the technician screen, in both languages (typed, so neither can miss a key). */
export interface TechnicianDictionary {
  title: string;
  pinPrompt: string;
  pinDelete: string;
  pinClear: string;
  pinSubmit: string;
  back: string;
  logout: string;
  refresh: string;
  sessionEnds: (time: string) => string;
  devicesHeading: string;
  syncHeading: string;
  alertsHeading: string;
  quarantineHeading: string;
  reprintHeading: string;
  auditHeading: string;
  logsHeading: string;
  deviceName: Record<DeviceKind, string>;
  deviceState: Record<DeviceState, string>;
  printerState: Record<PrinterState, string>;
  printState: Record<PrintState, string>;
  connectivity: Record<ConnectivityState, string>;
  alertSeverity: Record<AlertSeverity, string>;
  selfTest: string;
  selfTestRunning: string;
  selfTestHint: Record<DeviceKind, string>;
  selfTestPassed: string;
  selfTestFailed: string;
  exportLogs: string;
  exported: (fileName: string) => string;
  reprint: string;
  reprinted: (number: string) => string;
  nothingToReprint: string;
  noAlerts: string;
  noQuarantined: string;
  alertResolved: string;
  notConfigured: string;
  port: string;
  samId: string;
  lastRead: string;
  cardsRead: string;
  lastScan: string;
  scans: string;
  jobsPrinted: string;
  errors: string;
  backlog: string;
  lastSync: string;
  clockOffset: (ms: number | null) => string;
  /** A portal clock jump held back from numbering: the offset in use and the one measured. */
  clockJump: (acceptedMs: number, measuredMs: number) => string;
  confirmClockJump: string;
  clockConfirmed: (offsetMs: number) => string;
  never: string;
}
