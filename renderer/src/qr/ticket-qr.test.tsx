import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { TicketQrCode } from '../screens/TicketQrCode.js';
import { qrSvgShape, ticketQrPayload } from './ticket-qr.js';

describe('ticket QR code', () => {
  it('encodes the versioned ticket payload', () => {
    expect(ticketQrPayload({ ticketId: '0193a5e8-7f3c-7a4b-9c2d-1e2f3a4b5c6d', number: 'A2-047' })).toBe(
      'HK1:0193a5e8-7f3c-7a4b-9c2d-1e2f3a4b5c6d:A2-047',
    );
  });

  it('draws the finder patterns inside a four-module quiet zone', () => {
    const shape = qrSvgShape('HK1:0193a5e8-7f3c-7a4b-9c2d-1e2f3a4b5c6d:A023');
    // 45 bytes at level M need version 4 (33 modules), plus 2 x 4 modules of quiet zone.
    expect(shape.viewSize).toBe(33 + 8);
    // Row 0 of the symbol: a 7-module finder run at each top corner.
    expect(shape.path.startsWith('M4 4h7v1h-7z')).toBe(true);
    expect(shape.path).toContain(`M${4 + 33 - 7} 4h7v1h-7z`);
    // Row 1: finder edges only (dark, 5 light, dark).
    expect(shape.path).toContain('M4 5h1v1h-1zM10 5h1v1h-1z');
  });

  it('renders as SVG elements with the payload on the element', () => {
    const html = renderToStaticMarkup(<TicketQrCode text="HK1:x:A001" label="scan" />);
    expect(html).toMatch(/^<svg [^>]*data-testid="ticket-qr"/);
    expect(html).toContain('data-payload="HK1:x:A001"');
    expect(html).toContain('<path d="M4 4h7');
  });
});
