import { useMemo } from 'react';
import { qrSvgShape } from '../qr/ticket-qr.js';

export function TicketQrCode({ text, label }: { text: string; label: string }) {
  const shape = useMemo(() => qrSvgShape(text), [text]);
  return (
    <svg
      className="ticket-qr"
      data-testid="ticket-qr"
      data-payload={text}
      role="img"
      aria-label={label}
      viewBox={`0 0 ${shape.viewSize} ${shape.viewSize}`}
      shapeRendering="crispEdges"
    >
      <rect width={shape.viewSize} height={shape.viewSize} fill="#fff" />
      <path d={shape.path} fill="#000" />
    </svg>
  );
}
