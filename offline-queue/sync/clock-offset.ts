/** One clock measurement taken from a successful exchange with the portal. */
export interface ClockSample {
  /** Portal clock minus kiosk clock, ms. */
  offsetMs: number;
  /** Round trip of the exchange, ms (monotonic). */
  rttMs: number;
  /**
   * When the answer arrived, on the kiosk's wall clock and on its monotonic clock (ms): together
   * they tell a jump of the kiosk's own clock from a jump of the portal's.
   */
  at?: { wallMs: number; monoMs: number };
}

/**
 * offset = serverTime − midpoint(sendTime, receiveTime), the NTP-style estimate that assumes the
 * portal stamped its answer halfway through the round trip (error at most rtt/2).
 *
 * The midpoint is computed as `receiveWall − rtt/2`, with rtt from the monotonic clock: equal to
 * (send + receive)/2 while the kiosk clock runs steadily, and still right if the wall clock jumps
 * while the request is in flight. Returns null for an unreadable serverTime.
 */
export function clockOffsetMs(serverTime: string, receivedWallMs: number, rttMs: number): number | null {
  const server = Date.parse(serverTime);
  if (!Number.isFinite(server) || !Number.isFinite(receivedWallMs) || !Number.isFinite(rttMs)) return null;
  const midpoint = receivedWallMs - Math.max(0, rttMs) / 2;
  return Math.round(server - midpoint);
}
