import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Where, in the kiosk's data folder, the operator finds the kiosk screen's URL. */
export const LAUNCH_URL_FILE_NAME = 'launch-url';

/**
 * Writes the operator's launch URL (it carries the bridge token) to `<dir>/launch-url`, readable
 * by this user only (0600). Written to a fresh name with O_EXCL and renamed over the old file, so
 * the file is never readable by others for a moment and a planted symlink is replaced, not followed.
 */
export function writeLaunchUrlFile(dir: string, url: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, LAUNCH_URL_FILE_NAME);
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temp, `${url}\n`, { mode: 0o600, flag: 'wx' });
  try {
    renameSync(temp, file);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
  return file;
}

/** The token dies with the host: its URL goes too. */
export function removeLaunchUrlFile(file: string): void {
  rmSync(file, { force: true });
}
