import { z } from 'zod';

const Days = z.coerce.number().int().min(1).max(3_650);

/**
 * How long the portal keeps personal data (issue 7 §6), for every hall until halls get their
 * own setting:
 * - personalDataDays: the citizen HMAC of tickets and appointments of business days older than
 *   this (in the hall's own calendar) is cleared;
 * - eventPayloadDays: the raw payload of sync events received longer ago than this is dropped
 *   (the event row, its dedupe key and any rejection stay, so a replay is still consumed once).
 * The kiosk clears its synced tickets' HMAC after 7 days; the portal keeps them longer because it
 * serves the hall (one waiting ticket per citizen, appointment proof) well past the kiosk's part.
 */
export const PortalRetentionPolicy = z.object({
  personalDataDays: Days.default(30),
  eventPayloadDays: Days.default(30),
  /** Rows per statement: each batch is one short transaction, so no lock is held for long. */
  batchSize: z.coerce.number().int().min(1).max(100_000).default(1_000),
  /** How often the portal process runs the purge (the first run is right after start). */
  intervalMs: z.coerce.number().int().min(60_000).max(86_400_000).default(3_600_000),
});
export type PortalRetentionPolicy = z.infer<typeof PortalRetentionPolicy>;

export const DEFAULT_RETENTION_POLICY: PortalRetentionPolicy = PortalRetentionPolicy.parse({});

const ENV_NAMES: Readonly<Record<keyof PortalRetentionPolicy, string>> = {
  personalDataDays: 'PORTAL_PERSONAL_DATA_DAYS',
  eventPayloadDays: 'PORTAL_EVENT_PAYLOAD_DAYS',
  batchSize: 'PORTAL_RETENTION_BATCH',
  intervalMs: 'PORTAL_RETENTION_INTERVAL_MS',
};

export class RetentionPolicyError extends Error {
  readonly code = 'bad-retention-policy';
  constructor(message: string) {
    super(message);
    this.name = 'RetentionPolicyError';
  }
}

/**
 * The policy from the environment (PORTAL_PERSONAL_DATA_DAYS, PORTAL_EVENT_PAYLOAD_DAYS,
 * PORTAL_RETENTION_BATCH, PORTAL_RETENTION_INTERVAL_MS); unset or empty means the default.
 * Throws RetentionPolicyError naming the variable at fault.
 */
export function retentionPolicyFromEnv(env: NodeJS.ProcessEnv): PortalRetentionPolicy {
  const input: Record<string, string | undefined> = {};
  for (const [key, name] of Object.entries(ENV_NAMES)) input[key] = env[name] === '' ? undefined : env[name];
  const parsed = PortalRetentionPolicy.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const name = ENV_NAMES[issue?.path[0] as keyof PortalRetentionPolicy] ?? 'retention policy';
  throw new RetentionPolicyError(`${name}: ${issue?.message ?? 'invalid'} (got '${String(input[String(issue?.path[0])])}')`);
}
