import type { FastifyInstance } from 'fastify';
import { HallEventKind } from '../../common/contract/hall-events.js';
import { RouteAuth } from '../../common/contract/route-spec.js';
import { KIOSK_EVENTS_PATH } from '../../common/contract/sync-api.js';
import { registerHallStreamRoute } from '../realtime/hall-stream-route.js';

/** What a kiosk follows: the changes it must pull at once (its own tickets it knows already). */
export const KIOSK_STREAM_KINDS: ReadonlySet<string> = new Set([HallEventKind.AppointmentsChanged, HallEventKind.CatalogChanged]);

const DESCRIPTION =
  'Answers `200 text/event-stream`: the hall events a kiosk acts on, `appointments.changed` and `catalog.changed` ' +
  '(each frame `id: <seq>`, `event: <kind>`, `data: <HallEventEnvelope JSON>`); on one, pull (`GET /v1/kiosk/pull`) at once. ' +
  'Send `Last-Event-ID: <seq>` (or `?lastEventId=<seq>`) to get the ones after it first. A `ready` frame ends the replay, a ' +
  '`resync` frame says the seq cannot be replayed (pull). A comment line every 15 s keeps the connection alive. 429 when the ' +
  'hall has too many streams open.';

/**
 * The kiosk's live channel (GET /v1/kiosk/stream): the hall's event stream of portal/realtime,
 * kiosk token, filtered to the kinds that tell a kiosk to pull. The token's hall is the only hall
 * it carries.
 */
export function registerKioskStreamRoute(app: FastifyInstance): void {
  registerHallStreamRoute(app, {
    name: 'kioskStream',
    path: KIOSK_EVENTS_PATH,
    auth: RouteAuth.Kiosk,
    summary: "The hall's appointment and catalog changes as Server-Sent Events, for kiosks to pull at once",
    description: DESCRIPTION,
    security: [{ kioskToken: [] }],
    kinds: KIOSK_STREAM_KINDS,
  });
}
