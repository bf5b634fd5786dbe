/**
 * A QR code drawn as one SVG path from its module matrix, so a page renders it as elements (no
 * HTML string, no canvas) and it looks the same in every browser. Pure: the caller encodes the
 * text (the `qrcode` package's `create`), this only draws; the kiosk screen and the portal's
 * pages draw their codes with it.
 */

/** The module matrix as `qrcode`'s `create(text).modules` exposes it. */
export interface QrModules {
  size: number;
  get(row: number, col: number): boolean | number;
}

export interface QrSvgShape {
  /** Width and height of the view box in modules, quiet zone included. */
  viewSize: number;
  /** One SVG path drawing every dark module. */
  path: string;
}

/** Modules of white border the QR specification asks for around the symbol. */
export const QR_QUIET_ZONE = 4;

/** Each horizontal run of dark modules as one rectangle `M x y h run v1 h -run z`. */
export function qrSvgPath(modules: QrModules): QrSvgShape {
  const parts: string[] = [];
  for (let row = 0; row < modules.size; row += 1) {
    let col = 0;
    while (col < modules.size) {
      if (!modules.get(row, col)) {
        col += 1;
        continue;
      }
      const start = col;
      while (col < modules.size && modules.get(row, col)) col += 1;
      const run = col - start;
      parts.push(`M${start + QR_QUIET_ZONE} ${row + QR_QUIET_ZONE}h${run}v1h-${run}z`);
    }
  }
  return { viewSize: modules.size + QR_QUIET_ZONE * 2, path: parts.join('') };
}
