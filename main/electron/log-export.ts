import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { DownloadItem, WebContents } from 'electron';
import { kioskOrigin, originOf } from './kiosk-origin.js';

/** The folder in userData where the technician's log exports land. */
export const LOG_EXPORT_FOLDER = 'log-exports';

/** The names exportLogs gives its files: `hall-kiosk-<kioskId>-<yyyymmdd>-<hhmmss>.log`. */
const LOG_EXPORT_NAME = /^hall-kiosk-[A-Za-z0-9-]{1,32}-\d{8}-\d{6}\.log$/;
/** The contract caps an export at 5,000,000 characters; in UTF-8 that is at most three times as many bytes. */
const MAX_EXPORT_BYTES = 15_000_000;

export type LogExportState = 'completed' | 'cancelled' | 'interrupted';

export interface LogExportOutcome {
  fileName: string;
  state: LogExportState;
  /** Where the file is, when completed. */
  savedTo: string | null;
}

/**
 * The kiosk's own log export, and nothing else: a `blob:` URL the kiosk page made from the text
 * exportLogs returned (blob:app://kiosk/<uuid>), started by the kiosk page, under the name
 * exportLogs gave it. A link to anything else, or a page that is not the kiosk, downloads nothing.
 */
export function isKioskLogExport(
  item: Pick<DownloadItem, 'getURL' | 'getFilename' | 'getTotalBytes'>,
  webContents: Pick<WebContents, 'getURL'> | null | undefined,
): boolean {
  const url = item.getURL();
  if (!url.startsWith('blob:') || originOf(url.slice('blob:'.length)) !== kioskOrigin) return false;
  if (!webContents || originOf(webContents.getURL()) !== kioskOrigin) return false;
  if (!LOG_EXPORT_NAME.test(item.getFilename())) return false;
  return item.getTotalBytes() <= MAX_EXPORT_BYTES;
}

/**
 * Saves the log export to `<exportDir>/<file name>` without a dialog (a kiosk has no one to
 * answer one, and a dialog would show the file system), in a folder only this user can read.
 * Returns false for any other download: the caller cancels it.
 */
export function saveLogExport(
  item: Pick<DownloadItem, 'getURL' | 'getFilename' | 'getTotalBytes' | 'setSavePath' | 'once'>,
  webContents: Pick<WebContents, 'getURL'> | null | undefined,
  opts: { exportDir: string; onDone?: (outcome: LogExportOutcome) => void },
): boolean {
  if (!isKioskLogExport(item, webContents)) return false;
  mkdirSync(opts.exportDir, { recursive: true, mode: 0o700 });
  const fileName = item.getFilename();
  const savePath = path.join(opts.exportDir, fileName);
  item.setSavePath(savePath);
  item.once('done', (_event, state) => {
    opts.onDone?.({ fileName, state, savedTo: state === 'completed' ? savePath : null });
  });
  return true;
}
