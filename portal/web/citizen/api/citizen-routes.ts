import { bookingRoutes } from '../../../../common/contract/booking-api.js';
import { casesRoutes } from '../../../../common/contract/cases-api.js';
import { ratingsRoutes } from '../../../../common/contract/ratings-api.js';
import { staffRoutes } from '../../../../common/contract/staff-api.js';

/** Every portal route the citizen pages call, in one place: all public (no sign-in). */
export const citizenRoutes = {
  halls: staffRoutes.halls,
  catalog: bookingRoutes.catalog,
  slots: bookingRoutes.slots,
  hold: bookingRoutes.hold,
  confirm: bookingRoutes.confirm,
  cancel: bookingRoutes.cancel,
  caseLookup: casesRoutes.citizenLookup,
  verifyCertificate: casesRoutes.verifyCertificate,
  rate: ratingsRoutes.citizenRate,
} as const;
