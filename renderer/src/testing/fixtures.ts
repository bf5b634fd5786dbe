import type { HallInfo } from '../../../common/contract/catalog.js';
import { NumberSource } from '../../../common/domain/ticket-number.js';
import {
  ConnectivityState,
  PrinterState,
  PrintState,
  type Connectivity,
  type PrinterStatus,
  type ServiceView,
  type TicketView,
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
  return { state, lastSyncAt: null, backlog: 0 };
}
