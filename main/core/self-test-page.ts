import type { PrinterState } from '../../common/contract/kiosk-api.js';
import { lineBytes } from '../../devices/printer/ticket-receipt.js';

const ESC_INIT = Buffer.from([0x1b, 0x40]);
const CENTER = Buffer.from([0x1b, 0x61, 0x01]);
const LF = Buffer.from([0x0a]);
const FEED_AND_CUT = Buffer.from([0x1d, 0x56, 0x42, 0x00]);

/**
 * The technician's printer test page: Chinese (GB18030 in FS &), ASCII, a 生僻字 line that the
 * printer must print as a raster, and the status read just before, then a cut.
 */
export function composeSelfTestPage(opts: { kioskId: string; at: string; state: PrinterState }): Buffer {
  const lines = [
    '自检测试页 / Printer self-test',
    `终端 / Kiosk: ${opts.kioskId}`,
    `时间 / Time: ${opts.at}`,
    `状态 / Status: ${opts.state}`,
    '汉字测试：政务服务大厅 䶮 𠮷',
    'ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789',
  ];
  return Buffer.concat([ESC_INIT, CENTER, ...lines.map((l) => lineBytes(l)), LF, LF, FEED_AND_CUT]);
}
