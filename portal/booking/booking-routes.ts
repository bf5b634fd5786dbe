import type { FastifyInstance } from 'fastify';
import { bookingRoutes } from '../../common/contract/booking-api.js';
import { registerContractRoutes } from '../http/contract-routes.js';
import { createAppointmentsNotifier } from './booking-events.js';
import { cancelBooking } from './cancel-booking.js';
import { loadCitizenCatalog } from './citizen-catalog.js';
import { confirmBooking } from './confirm-booking.js';
import { holdBooking } from './hold-booking.js';
import { listSlots } from './booking-slots.js';
import { registerKioskStreamRoute } from './kiosk-stream-routes.js';

/**
 * The booking domain as a Fastify plugin: the citizen pages' public catalog and online
 * appointments (`bookingRoutes`: slots, hold, confirm, cancel), each route with its own budget
 * per address (portal-limits.ts: `citizenReadsPerWindow`, `bookingRequestsPerWindow`), and the
 * kiosks' live channel that tells them to pull when appointments or the catalog change.
 */
export async function bookingDomain(app: FastifyInstance): Promise<void> {
  const { pool, limits } = app.portal;
  const notifier = createAppointmentsNotifier(pool, { onError: (err) => app.log.warn({ err }, 'appointments.changed not emitted') });
  app.addHook('onClose', () => notifier.close());
  registerContractRoutes(
    app,
    bookingRoutes,
    {
      catalog: ({ params, now }) => loadCitizenCatalog(pool, params.hallId, now),
      slots: ({ params, query, now }) => listSlots(pool, params, query, now),
      hold: ({ body, now }) => holdBooking(pool, body, now, limits.bookingHoldMs),
      confirm: ({ params, now }) => confirmBooking(pool, params.holdId, now, notifier.changed),
      cancel: ({ body, now }) => cancelBooking(pool, body, now, notifier.changed),
    },
    {
      tags: ['booking'],
      rateLimits: {
        catalog: limits.citizenReadsPerWindow,
        slots: limits.citizenReadsPerWindow,
        hold: limits.bookingRequestsPerWindow,
        confirm: limits.bookingRequestsPerWindow,
        cancel: limits.bookingRequestsPerWindow,
      },
    },
  );
  registerKioskStreamRoute(app);
}
