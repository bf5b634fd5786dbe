import { CreateServiceRequest, ServiceSettings, type ServiceConfigView } from '../../../../common/contract/config-api.js';
import { WeeklyHours } from '../../../../common/domain/hall-calendar.js';
import {
  addProblem,
  checkWith,
  jsonIssue,
  optionalLocalized,
  optionalWholeNumber,
  parseJsonField,
  wholeNumber,
  type FieldProblems,
  type FormResult,
} from './form-problems.js';
import { parseHoursText, WEEKDAYS, weekTexts, type WeekdayKey } from './weekly-hours-text.js';

/** A service as its form holds it: what the inputs show, as typed. */
export interface ServiceDraft {
  serviceId: string;
  prefix: string;
  nameZh: string;
  nameEn: string;
  descriptionZh: string;
  descriptionEn: string;
  enabled: boolean;
  sortOrder: string;
  hours: Record<WeekdayKey, string>;
  dailyQuota: string;
  bookable: boolean;
  slotMinutes: string;
  capacity: string;
  minDaysAhead: string;
  maxDaysAhead: string;
  /** The guide (办事指南) as JSON; empty: none. */
  guide: string;
}

/** The booking rules a service gets when the manager first ticks "bookable" (the contract's defaults). */
const BOOKING_DEFAULTS = { slotMinutes: '30', capacity: '4', minDaysAhead: '1', maxDaysAhead: '30' };

export function serviceDraftOf(view: ServiceConfigView | null): ServiceDraft {
  if (!view) {
    return {
      serviceId: '', prefix: '', nameZh: '', nameEn: '', descriptionZh: '', descriptionEn: '', enabled: true, sortOrder: '0',
      hours: weekTexts({}), dailyQuota: '', bookable: false, ...BOOKING_DEFAULTS, guide: '',
    };
  }
  return {
    serviceId: view.id,
    prefix: view.prefix,
    nameZh: view.name.zh,
    nameEn: view.name.en,
    descriptionZh: view.description?.zh ?? '',
    descriptionEn: view.description?.en ?? '',
    enabled: view.enabled,
    sortOrder: String(view.sortOrder),
    hours: weekTexts(view.hours),
    dailyQuota: view.dailyQuota === null ? '' : String(view.dailyQuota),
    bookable: view.booking !== null,
    slotMinutes: String(view.booking?.slotMinutes ?? BOOKING_DEFAULTS.slotMinutes),
    capacity: String(view.booking?.capacity ?? BOOKING_DEFAULTS.capacity),
    minDaysAhead: String(view.booking?.minDaysAhead ?? BOOKING_DEFAULTS.minDaysAhead),
    maxDaysAhead: String(view.booking?.maxDaysAhead ?? BOOKING_DEFAULTS.maxDaysAhead),
    guide: view.guide === null ? '' : JSON.stringify(view.guide, null, 2),
  };
}

/** The problem code of a weekday's text that is not `HH:MM-HH:MM, …` (the form says it in words). */
export const HOURS_FORMAT = 'hours-format';

/** Where an issue of `ServiceSettings` belongs in the form. */
function fieldOf(path: readonly PropertyKey[], message: string): { field: string; message: string } {
  const [head, next, ...rest] = path.map(String);
  switch (head) {
    case 'name':
      return { field: next === 'en' ? 'nameEn' : 'nameZh', message };
    case 'description':
      return { field: next === 'en' ? 'descriptionEn' : 'descriptionZh', message };
    case 'hours':
      // A weekday's own problem, or the week's ("ranges overlap") on the day it names.
      return { field: next && (WEEKDAYS as readonly string[]).includes(next) ? `hours.${next}` : 'hours', message };
    case 'booking':
      // The refinement of the rules as a whole (max below min) is about the last day.
      return { field: next ?? 'maxDaysAhead', message };
    case 'guide':
      return { field: 'guide', message: jsonIssue(path.slice(1), message) };
    default:
      return { field: head ?? 'form', message: rest.length > 0 ? jsonIssue(path.slice(1), message) : message };
  }
}

/** The hours of the week from the form's texts; a text not in the expected form is a problem of its day. */
function hoursOf(draft: ServiceDraft, problems: FieldProblems): WeeklyHours {
  const hours: WeeklyHours = {};
  for (const day of WEEKDAYS) {
    const ranges = parseHoursText(draft.hours[day]);
    if (ranges === null) {
      addProblem(problems, `hours.${day}`, HOURS_FORMAT);
      continue;
    }
    if (ranges.length === 0) continue;
    hours[day] = ranges;
    // The week's rule (no overlap) is about one day at a time: checked per day, it is said on that day.
    const alone = WeeklyHours.safeParse({ [day]: ranges });
    if (!alone.success && alone.error.issues.every((i) => i.path.length === 0)) for (const i of alone.error.issues) addProblem(problems, `hours.${day}`, i.message);
  }
  return hours;
}

function settingsInput(draft: ServiceDraft, problems: FieldProblems) {
  const guide = parseJsonField(draft.guide);
  if (!guide.ok) addProblem(problems, 'guide', `JSON: ${guide.message}`);
  return {
    prefix: draft.prefix.trim().toUpperCase(),
    name: { zh: draft.nameZh.trim(), en: draft.nameEn.trim() },
    description: optionalLocalized(draft.descriptionZh, draft.descriptionEn),
    enabled: draft.enabled,
    sortOrder: wholeNumber(draft.sortOrder),
    hours: hoursOf(draft, problems),
    dailyQuota: optionalWholeNumber(draft.dailyQuota),
    guide: guide.ok ? guide.value : null,
    booking: draft.bookable
      ? {
          slotMinutes: wholeNumber(draft.slotMinutes),
          capacity: wholeNumber(draft.capacity),
          minDaysAhead: wholeNumber(draft.minDaysAhead),
          maxDaysAhead: wholeNumber(draft.maxDaysAhead),
        }
      : null,
  };
}

/** The service's settings from its form, checked with the contract's own schema (guide and hours included). */
export function serviceSettingsOf(draft: ServiceDraft): FormResult<ServiceSettings> {
  const problems: FieldProblems = {};
  return checkWith(ServiceSettings, settingsInput(draft, problems), fieldOf, problems);
}

/** A new service: its settings and its id. */
export function newServiceOf(draft: ServiceDraft): FormResult<CreateServiceRequest> {
  const problems: FieldProblems = {};
  return checkWith(CreateServiceRequest, { ...settingsInput(draft, problems), serviceId: draft.serviceId.trim() }, fieldOf, problems);
}
