import type pg from 'pg';
import { PortalErrorCode } from '../../common/contract/errors.js';
import {
  MAX_CLOCK_OFFSET_MS,
  type KioskHealthAck,
  type KioskHealthReport,
  type KioskHealthView,
  type StoredKioskHealth,
} from '../../common/contract/kiosk-health-api.js';
import { assessKioskHealth, backlogGrowthReports } from '../../common/domain/kiosk-health.js';
import type { KioskPrincipal } from '../auth/principals.js';
import { withTransaction } from '../db/transaction.js';
import { PortalError } from '../http/portal-error.js';
import { hallKioskHealth, lockLatestBacklog, saveKioskHealth } from './health-store.js';

/**
 * Stores a kiosk's report as its latest, stamped with the portal's clock (docs/architecture.md §5:
 * kiosk clocks are for display and audit). The contract already bounded every field; here the
 * report must also be the caller's own and its stamp plausible, or it is refused (400
 * `bad-request`) and nothing changes. The backlog streak is computed against the previous report
 * under its row lock, so two reports of one kiosk cannot both count one growth.
 */
export async function recordKioskHealth(pool: pg.Pool, kiosk: KioskPrincipal, report: KioskHealthReport, now: Date): Promise<KioskHealthAck> {
  if (report.kioskId !== kiosk.kioskId) {
    throw new PortalError(PortalErrorCode.BadRequest, `the report names kiosk ${report.kioskId}, but its token is another kiosk's`);
  }
  const observedClockOffsetMs = now.getTime() - Date.parse(report.reportedAt);
  if (Math.abs(observedClockOffsetMs) > MAX_CLOCK_OFFSET_MS) {
    throw new PortalError(PortalErrorCode.BadRequest, 'reportedAt is more than a century away from the portal clock');
  }
  const { kioskId: _sender, ...fields } = report;
  await withTransaction(pool, async (client) => {
    const previous = await lockLatestBacklog(client, kiosk.hallId, kiosk.kioskId);
    const stored: StoredKioskHealth = {
      ...fields,
      receivedAt: now.toISOString(),
      observedClockOffsetMs,
      backlogGrowthReports: backlogGrowthReports(previous, report.backlog),
    };
    await saveKioskHealth(client, kiosk.hallId, kiosk.kioskId, stored);
  });
  return { serverTime: now.toISOString() };
}

/** Every kiosk of the hall as the manager's wall shows it, judged at `now`. */
export async function listKioskHealth(pool: pg.Pool, hallId: string, now: Date): Promise<KioskHealthView[]> {
  const kiosks = await hallKioskHealth(pool, hallId);
  return kiosks.map(({ kioskId, kioskDigit, latest }) => {
    const assessment = assessKioskHealth(latest, now);
    return {
      kioskId,
      kioskDigit,
      state: assessment.state,
      findings: assessment.findings,
      lastSeenAt: latest?.receivedAt ?? null,
      silentAfterMs: assessment.silentAfterMs,
      latest,
    };
  });
}
