/**
 * Every limit the portal's HTTP layer enforces, in one place. The defaults are sized for one hall
 * portal on a small machine that kiosks reach over the hall network: a kiosk's 400 ms numbering
 * budget must hold while junk traffic hits the same port (see bench/portal-abuse.bench.ts).
 */
export interface PortalLimits {
  /** Whole request, body included (a 2 MB push over a slow hall uplink fits). */
  requestTimeoutMs: number;
  /** Request line and headers; slow-loris sockets are cut here. At most requestTimeoutMs. */
  headersTimeoutMs: number;
  /** Idle keep-alive socket between two requests. */
  keepAliveTimeoutMs: number;
  /** A socket with no traffic at all in either direction (e.g. a client that stops reading). */
  socketIdleTimeoutMs: number;
  /** How often Node looks for requests past headersTimeoutMs / requestTimeoutMs. */
  connectionsCheckingIntervalMs: number;
  /**
   * Open sockets at once; past it new ones are closed on accept. Well above 2,000 abusive sockets
   * plus slow-loris ones, so a kiosk can still connect during such a flood, and well below the
   * process's file descriptor limit.
   */
  maxConnections: number;
  /** Request bodies of routes that do not say otherwise. */
  bodyLimitBytes: number;
  /** A full push batch (500 events) is about 250 KB; room for more, not for the absurd. */
  pushBodyLimitBytes: number;
  /** How long a checked token is trusted from memory: the bound on how late a revocation bites. */
  authCacheTtlMs: number;
  /** Failed authentications per client address per window before its unknown tokens are refused from memory. */
  authFailuresPerWindow: number;
  authFailureWindowMs: number;
  /**
   * How long a refusal to an address over its failure budget is held back (mean; jittered 0.5x to
   * 1.5x). A closed-loop flood over N sockets then sends about N / delay requests a second, each
   * costing the portal about what Node's HTTP parsing costs: 2,000 sockets, 400 a second.
   */
  authFailureDelayMs: number;
  /** Token lookups of not-yet-known tokens at once, and queued; past that, 503. */
  authLookupConcurrency: number;
  authLookupQueue: number;
  /** Requests per window per kiosk token, per staff token, and per address for unauthenticated routes. */
  rateLimitWindowMs: number;
  kioskRequestsPerWindow: number;
  staffRequestsPerWindow: number;
  addressRequestsPerWindow: number;
  /**
   * The citizen pages' public routes, per address and per route each window: the booking writes
   * (hold, confirm, cancel) and the reads (catalog, slots). Citizens on one mobile carrier's NAT
   * share an address, so these are not per person: a few dozen bookings a window, not a flood.
   */
  bookingRequestsPerWindow: number;
  citizenReadsPerWindow: number;
  /** How long a held place waits for its confirmation before it goes back to the slot. */
  bookingHoldMs: number;
  /**
   * Citizen case lookups (case number + ID number) per address each window: every miss is a guess
   * at someone's ID number. And misses per case number per hour, from any address, before that
   * number is refused for the hour (many addresses guessing one case's ID number).
   */
  caseLookupsPerWindow: number;
  caseLookupMissesPerHour: number;
}

export const DEFAULT_PORTAL_LIMITS: Readonly<PortalLimits> = {
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 10_000,
  socketIdleTimeoutMs: 60_000,
  connectionsCheckingIntervalMs: 1_000,
  maxConnections: 8_192,
  bodyLimitBytes: 16 * 1024,
  pushBodyLimitBytes: 2 * 1024 * 1024,
  authCacheTtlMs: 5_000,
  authFailuresPerWindow: 20,
  authFailureWindowMs: 10_000,
  authFailureDelayMs: 5_000,
  authLookupConcurrency: 2,
  authLookupQueue: 256,
  rateLimitWindowMs: 10_000,
  // A kiosk numbers one visitor at a time; 100 requests a second is a storm of them, or a sync
  // drain after an outage. A token past that is broken or stolen, not busy.
  kioskRequestsPerWindow: 1_000,
  staffRequestsPerWindow: 500,
  addressRequestsPerWindow: 300,
  bookingRequestsPerWindow: 60,
  citizenReadsPerWindow: 300,
  bookingHoldMs: 5 * 60_000,
  caseLookupsPerWindow: 5,
  caseLookupMissesPerHour: 20,
};

export function portalLimits(overrides: Partial<PortalLimits> = {}): PortalLimits {
  const limits = { ...DEFAULT_PORTAL_LIMITS, ...overrides };
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new Error('headersTimeoutMs must not exceed requestTimeoutMs');
  }
  return limits;
}
