/**
 * How long a case keeps its citizen (the HMAC the citizen and the kiosk look it up by): while the
 * citizen may still ask after it, and the retention period (portal/retention/) after it ended —
 * rejected (不予受理) or picked up (已取件). A concluded case waiting for pickup keeps it. The
 * case itself, its timeline and its certificate stay: they hold no personal data but the masked
 * name. One batch of the purge (portal/retention/purge-personal-data.ts runs it): $1 hall,
 * $2 cases last changed before this instant, $3 batch size.
 */
export const CLEAR_FINISHED_CASE_CITIZENS = `
  WITH batch AS (
    SELECT case_number FROM cases
    WHERE hall_id = $1 AND citizen_hmac IS NOT NULL AND status IN ('rejected', 'picked-up') AND updated_at < $2::timestamptz
    LIMIT $3 FOR UPDATE SKIP LOCKED
  )
  UPDATE cases c SET citizen_hmac = NULL FROM batch
  WHERE c.hall_id = $1 AND c.case_number = batch.case_number`;
