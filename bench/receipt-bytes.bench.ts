/**
 * receipt-bytes: size of a standard ticket receipt with its QR code, and its send time at 9600
 * baud (bytes x 10 bits / 9600), target <= 2 KB; then the same receipt with a holder name that
 * must be printed as a raster line (䶮*).
 */
import { TextRasterizer } from '../devices/printer/font/text-raster.js';
import { sampleReceipt } from '../devices/printer/test-receipt.fixture.js';
import { composeTicketReceipt } from '../devices/printer/ticket-receipt.js';
import { wireTimeMs } from '../devices/serial/baud-pacer.js';
import { emit, round } from './stats.js';

const rasterizer = TextRasterizer.load();
const cases: Array<[string, Buffer]> = [
  ['receipt-bytes', composeTicketReceipt(sampleReceipt(), { rasterizer })],
  ['receipt-bytes-raster-name', composeTicketReceipt(sampleReceipt({ holderName: '䶮*', issuedOffline: true }), { rasterizer })],
];
for (const [name, bytes] of cases) {
  emit({ name, unit: 'bytes', value: bytes.length, send_ms_9600: round(wireTimeMs(bytes.length, 9600), 1), target: 2048 });
}
