import { z } from 'zod';
import { ServicePrefix } from '../domain/ticket-number.js';

/** A slug such as `social-insurance`: stable across catalog edits, safe in URLs. */
export const ServiceId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lowercase slug');
export type ServiceId = z.infer<typeof ServiceId>;

export const LocalizedText = z.object({ zh: z.string().min(1).max(200), en: z.string().min(1).max(200) });
export type LocalizedText = z.infer<typeof LocalizedText>;

/** A hall service as the portal publishes it. Names are plain text, never HTML. */
export const Service = z.object({
  id: ServiceId,
  prefix: ServicePrefix,
  name: LocalizedText,
  description: LocalizedText.nullable(),
  enabled: z.boolean(),
  sortOrder: z.number().int(),
});
export type Service = z.infer<typeof Service>;

export const HallInfo = z.object({
  hallId: z.string().min(1).max(64),
  name: LocalizedText,
  /** IANA zone; numbering resets at this zone's business-day boundary, not the machine's. */
  timeZone: z.string().min(1),
  /** Local hour at which the business day (and numbering) starts; absent means midnight. */
  businessDayStartHour: z.number().int().min(0).max(23).optional(),
});
export type HallInfo = z.infer<typeof HallInfo>;

export const Catalog = z.object({ hall: HallInfo, services: z.array(Service) });
export type Catalog = z.infer<typeof Catalog>;
