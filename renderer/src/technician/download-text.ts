/** What saving a file needs of the page; the real `document` and `URL` satisfy it. */
export interface DownloadHost {
  createElement(tag: 'a'): { href: string; download: string; click(): void };
}
export interface ObjectUrls {
  createObjectURL(blob: Blob): string;
  revokeObjectURL(url: string): void;
}

/** Saves `text` as a UTF-8 file named `fileName` through the browser's download path. */
export function downloadText(fileName: string, text: string, host: DownloadHost = document, urls: ObjectUrls = URL): void {
  const url = urls.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const link = host.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // The download reads the blob asynchronously: let go of it a little later, not at once.
  setTimeout(() => urls.revokeObjectURL(url), REVOKE_AFTER_MS);
}

const REVOKE_AFTER_MS = 30_000;
