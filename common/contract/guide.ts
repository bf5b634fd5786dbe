import { z } from 'zod';
import { LocalizedText } from './localized-text.js';

/**
 * The service guide (办事指南) of one service: one source on the portal, pulled by every kiosk with
 * the catalog, shown on the citizen pages and the kiosk, and its materials list printed on the
 * receipt printer ("bring these"). Plain text only, never HTML.
 */
export enum MaterialForm {
  Original = 'original',
  Copy = 'copy',
  OriginalAndCopy = 'original-and-copy',
  Electronic = 'electronic',
}

/** Where the service can be done. */
export enum ServiceChannel {
  Online = 'online',
  InHall = 'in-hall',
  Both = 'both',
}

export const GuideMaterial = z.object({
  name: LocalizedText,
  form: z.enum(MaterialForm),
  /** How many (copies, pages, photos). */
  count: z.number().int().min(1).max(20),
  note: LocalizedText.nullable().default(null),
});
export type GuideMaterial = z.infer<typeof GuideMaterial>;

export const ServiceGuide = z.object({
  /** 申请条件: who may apply. */
  conditions: z.array(LocalizedText).max(20),
  /** 申请材料. */
  materials: z.array(GuideMaterial).max(40),
  /** 收费标准, e.g. 不收费 / Free of charge. */
  fees: LocalizedText,
  /** 法定办结时限, in working days; null when the law sets none. */
  legalTimeLimitDays: z.number().int().min(0).max(365).nullable(),
  /** 承诺办结时限 (what the hall promises, usually shorter), in working days. */
  promisedTimeLimitDays: z.number().int().min(0).max(365).nullable(),
  /** 办理地点: where in the hall. */
  location: LocalizedText,
  channel: z.enum(ServiceChannel),
});
export type ServiceGuide = z.infer<typeof ServiceGuide>;
