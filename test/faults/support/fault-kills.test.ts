import { describe, expect, it } from 'vitest';
import { DEFAULT_FAULT_KILLS, faultKills, FaultKillsError, livesPerKiosk } from './fault-kills.js';

describe('FAULT_KILLS', () => {
  it('defaults to CI’s count when unset or blank', () => {
    expect(faultKills({})).toBe(DEFAULT_FAULT_KILLS);
    expect(faultKills({ FAULT_KILLS: ' ' })).toBe(DEFAULT_FAULT_KILLS);
    expect(DEFAULT_FAULT_KILLS).toBeGreaterThanOrEqual(200);
  });

  it('takes a hall-scale count', () => {
    expect(faultKills({ FAULT_KILLS: '1000' })).toBe(1000);
    expect(livesPerKiosk(1000, 2)).toBe(500);
    expect(livesPerKiosk(DEFAULT_FAULT_KILLS, 2)).toBe(101);
    expect(livesPerKiosk(7, 2) * 2).toBeGreaterThanOrEqual(7);
  });

  it.each(['abc', '1e3', '-5', '10.5', '0x10', '1', '0', '20001'])('refuses %j', (value) => {
    expect(() => faultKills({ FAULT_KILLS: value })).toThrow(FaultKillsError);
  });
});
