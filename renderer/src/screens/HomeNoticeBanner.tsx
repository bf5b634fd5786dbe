import type { Dictionary } from '../i18n/index.js';
import { NoticeKind, type HomeNotice } from '../state/kiosk-store.js';

/** A scanned code or a refused card, said in the visitor's language. */
export function HomeNoticeBanner({ notice, t }: { notice: HomeNotice; t: Dictionary }) {
  if (notice.kind === NoticeKind.Card) {
    return (
      <p className="notice notice-card" data-testid="card-notice" data-reason={notice.reason} role="status">
        {t.cardRejected[notice.reason]}
      </p>
    );
  }
  return (
    <p className="notice notice-scan" data-testid="scan-notice" data-kind={notice.scan.kind} role="status">
      {t.scanNotice[notice.scan.kind]}
      {notice.scan.reference ? ` (${notice.scan.reference})` : ''}
    </p>
  );
}
