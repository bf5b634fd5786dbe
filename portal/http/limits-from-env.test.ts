import { describe, expect, it } from 'vitest';
import { limitEnvName, portalLimitsFromEnv } from './limits-from-env.js';
import { portalLimits } from './portal-limits.js';

describe('portal limits from the environment', () => {
  it('names each limit PORTAL_LIMIT_ plus its name in capitals', () => {
    expect(limitEnvName('authFailuresPerWindow')).toBe('PORTAL_LIMIT_AUTH_FAILURES_PER_WINDOW');
    expect(limitEnvName('maxConnections')).toBe('PORTAL_LIMIT_MAX_CONNECTIONS');
  });

  it('overrides only the limits it is given, and leaves everything else to the defaults', () => {
    const overrides = portalLimitsFromEnv({ PORTAL_LIMIT_AUTH_FAILURES_PER_WINDOW: '2000', PORTAL_LIMIT_KIOSK_REQUESTS_PER_WINDOW: '', PATH: '/bin' });
    expect(overrides).toEqual({ authFailuresPerWindow: 2000 });
    expect(portalLimits(overrides).authFailuresPerWindow).toBe(2000);
    expect(portalLimitsFromEnv({})).toEqual({});
  });

  it('refuses a name that is no limit and a value that is no positive whole number', () => {
    expect(() => portalLimitsFromEnv({ PORTAL_LIMIT_AUTH_FAILURE_PER_WINDOW: '10' })).toThrow(/is not a portal limit/);
    expect(() => portalLimitsFromEnv({ PORTAL_LIMIT_MAX_CONNECTIONS: '0' })).toThrow(/positive whole number/);
    expect(() => portalLimitsFromEnv({ PORTAL_LIMIT_MAX_CONNECTIONS: '1.5' })).toThrow(/positive whole number/);
    expect(() => portalLimitsFromEnv({ PORTAL_LIMIT_MAX_CONNECTIONS: 'lots' })).toThrow(/positive whole number/);
  });
});
