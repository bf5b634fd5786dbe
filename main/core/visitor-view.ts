import { VisitorCardType, type VisitorView } from '../../common/contract/kiosk-api.js';
import { ageOn } from '../../common/domain/id-number.js';
import { maskIdNumber, maskName } from '../../common/domain/masking.js';
import { Priority } from '../../common/domain/priority.js';
import { IdCardType, type IdCardData } from '../../devices/id-card/id-card-text.js';

const cardTypes: Readonly<Record<IdCardType, VisitorCardType>> = {
  [IdCardType.Mainland]: VisitorCardType.Mainland,
  [IdCardType.HkMacauTaiwanResidence]: VisitorCardType.HkMacauTaiwanResidence,
  [IdCardType.ForeignPermanentResidence2017]: VisitorCardType.ForeignPermanentResidence2017,
  [IdCardType.ForeignPermanentResidence2023]: VisitorCardType.ForeignPermanentResidence2023,
};

/**
 * The queue priority a card earns (docs/architecture.md §4): elderly from the age on the hall's
 * business day, which counts a birthday from its own date (turning 60 today counts), else normal.
 */
export function priorityFromCard(birthDate: string, today: string, elderlyAge: number): { age: number | null; priority: Priority } {
  let age: number | null;
  try {
    age = ageOn(birthDate, today);
  } catch {
    // A birth date the decoder let through but that is after today: no priority from it.
    age = null;
  }
  return { age, priority: age !== null && age >= elderlyAge ? Priority.Elderly : Priority.Normal };
}

/** What the screen may know of a card: masked name and number, type, age and priority. */
export function toVisitorView(
  card: IdCardData,
  opts: { today: string; elderlyAge: number; identifiedAt: Date; expiresAt: Date },
): VisitorView {
  const { age, priority } = priorityFromCard(card.birthDate, opts.today, opts.elderlyAge);
  return {
    maskedName: maskName(card.name),
    maskedIdNumber: maskIdNumber(card.idNumber),
    cardType: cardTypes[card.cardType],
    age,
    priority,
    identifiedAt: opts.identifiedAt.toISOString(),
    expiresAt: opts.expiresAt.toISOString(),
  };
}
