import { create } from 'qrcode';
import { useMemo } from 'react';
import { qrSvgPath } from '../../../../common/browser/qr/qr-svg-path.js';

/** A QR code as SVG elements (one path; no canvas, no HTML string), named for screen readers. */
export function QrCode({ text, label, testId }: { text: string; label: string; testId: string }) {
  const shape = useMemo(() => qrSvgPath(create(text, { errorCorrectionLevel: 'M' }).modules), [text]);
  return (
    <svg
      className="qr-code"
      data-testid={testId}
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
