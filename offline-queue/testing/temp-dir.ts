import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh folder under the OS temp dir for one test file's databases; `remove` in afterAll. */
export function makeTempDir(label: string): { dir: string; file: (name: string) => string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `hall-kiosk-${label}-`));
  let n = 0;
  return {
    dir,
    file: (name) => path.join(dir, `${name}-${++n}.db`),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
