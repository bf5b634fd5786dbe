import { describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION_POLICY, retentionPolicyFromEnv, RetentionPolicyError } from './retention-policy.js';

describe('portal retention policy', () => {
  it('defaults to 30 days of personal data and of event payloads, purged hourly in batches of 1,000', () => {
    expect(retentionPolicyFromEnv({})).toEqual({ personalDataDays: 30, eventPayloadDays: 30, batchSize: 1_000, intervalMs: 3_600_000 });
    expect(retentionPolicyFromEnv({ PORTAL_PERSONAL_DATA_DAYS: '' })).toEqual(DEFAULT_RETENTION_POLICY);
  });

  it('reads the environment', () => {
    const policy = retentionPolicyFromEnv({ PORTAL_PERSONAL_DATA_DAYS: '14', PORTAL_EVENT_PAYLOAD_DAYS: '7', PORTAL_RETENTION_BATCH: '500', PORTAL_RETENTION_INTERVAL_MS: '600000' });
    expect(policy).toEqual({ personalDataDays: 14, eventPayloadDays: 7, batchSize: 500, intervalMs: 600_000 });
  });

  it.each([
    ['PORTAL_PERSONAL_DATA_DAYS', '0'],
    ['PORTAL_PERSONAL_DATA_DAYS', 'thirty'],
    ['PORTAL_EVENT_PAYLOAD_DAYS', '1.5'],
    ['PORTAL_RETENTION_BATCH', '-1'],
    ['PORTAL_RETENTION_INTERVAL_MS', '1000'],
  ])('refuses %s=%s, naming it', (name, value) => {
    expect(() => retentionPolicyFromEnv({ [name]: value })).toThrow(RetentionPolicyError);
    expect(() => retentionPolicyFromEnv({ [name]: value })).toThrow(new RegExp(`^${name}: `));
  });
});
