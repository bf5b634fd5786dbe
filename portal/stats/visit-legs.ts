/**
 * What the hall's statistics count, in terms of the ticket's segments (docs/architecture.md §8;
 * table ticket_segments). Every figure of `/v1/manager/stats` follows these definitions, the SQL
 * (migration 0012 `ticket_legs_of`, stats-store.ts) and the test's own computation from raw
 * segments (stats.property.test.ts) alike.
 *
 * **Visit leg (办理环节).** A ticket's segments, in seq order, split into legs at each `waiting`
 * segment: leg 1 starts at issue; a transfer (to a service or a counter) and a requeue after a
 * no-show each start the next. Within a leg the ticket waits once, then may be called (again, on
 * a recall), served, held and called back, until the leg ends. A leg's
 * - service is the one its waiting segment waited for (only a transfer changes the service, and
 *   it starts a new leg);
 * - counter and clerk are those of its last `called` or `serving` segment (the clerk: the staff id
 *   that made that transition), null while it was never called — the rule a rating names its
 *   counter and clerk by, so ratings and legs agree;
 * - outcome: `transferred` or `no-show` when a later leg follows (the leg's last segment says
 *   which); for the last leg, from the ticket: done `served`, no-show `no-show`, cancelled by
 *   staff `cancelled`, cancelled by the end-of-day sweep `swept`, anything else `open`.
 *
 * **Waiting time** of a leg: the length of its waiting segment, when a call ended it (an
 * *answered* wait). A wait that ended in a cancellation or at the end of the day, or still runs,
 * is not a waiting time. Held (挂起) time is not waiting: the visitor was seen and is away on the
 * counter's account; the walk to the counter (the called segments) is not waiting either. A
 * transferred or requeued ticket waits again: each leg's wait is one more observation.
 *
 * **Serving time** of a leg: the sum of its `serving` segments (a hold splits the service; both
 * parts count, the hold does not), for legs a member of staff ended (served, no-show, transferred,
 * cancelled): an open leg is not over, and a swept one ran to the end of the day. A leg completed
 * straight from `called` has no serving segment, hence no serving time.
 *
 * **Grouping.** By day: the ticket's business day; by hour: the local hour (hall's zone) of the
 * ticket's receive time; by service, counter, clerk: the leg's. A group's
 * - arrivals: distinct tickets with a leg in it; appointments: those whose priority is
 *   appointment; walk-ins: the others;
 * - served, no-shows, transfers, cancelled (staff or sweep): legs with that outcome;
 * - waiting and serving: count, mean, and percentile_cont(0.5) and (0.9) of its legs' times —
 *   the continuous percentile, interpolated linearly between the two nearest values at position
 *   p·(n−1) of the sorted values (PostgreSQL's `percentile_cont`);
 * - ratings: those of its tickets (a rating names the day, service, counter and clerk; the hour
 *   is its ticket's arrival hour); satisfaction: 非常满意 + 满意 + 基本满意 over all ratings;
 * - rectifications: orders of those ratings not closed (open), and open or contacted ones past
 *   their due day on the hall's today (overdue).
 * The range is one of business days, both ends included; the total row applies the same rules to
 * the whole range.
 */

export enum LegOutcome {
  Open = 'open',
  Served = 'served',
  NoShow = 'no-show',
  Transferred = 'transferred',
  Cancelled = 'cancelled',
  Swept = 'swept',
}

/** The two percentiles the statistics report, as percentile_cont fractions. */
export const STATS_PERCENTILES = [0.5, 0.9] as const;
