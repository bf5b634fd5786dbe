import { describe, expect, it } from 'vitest';
import { PrinterState } from '../../common/contract/kiosk-api.js';
import { decodeEscPos } from '../../devices/printer/simulator/escpos-decoder.js';
import { composeSelfTestPage } from './self-test-page.js';

describe('composeSelfTestPage', () => {
  it('prints Chinese, ASCII and the status, the 生僻字 line as a raster, never a ?, then cuts', () => {
    const receipt = decodeEscPos(composeSelfTestPage({ kioskId: 'kiosk-1', at: '2025-03-04T06:00:00.000Z', state: PrinterState.PaperNearEnd }));
    expect(receipt.text).toContain('自检测试页 / Printer self-test');
    expect(receipt.text).toContain('终端 / Kiosk: kiosk-1');
    expect(receipt.text).toContain('状态 / Status: paper-near-end');
    expect(receipt.text).toContain('ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789');
    expect(receipt.rasters).toHaveLength(1);
    expect(receipt.text).not.toContain('?');
    expect(receipt.cut).toBe(true);
  });
});
