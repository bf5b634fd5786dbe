import { HallSettings, type HallSettingsView } from '../../../../common/contract/config-api.js';
import { addProblem, checkWith, jsonIssue, optionalLocalized, optionalWholeNumber, parseJsonField, wholeNumber, type FieldProblems, type FormResult } from './form-problems.js';

/** The hall's settings as their form holds them; the calendar is JSON (a list of days). */
export interface HallDraft {
  nameZh: string;
  nameEn: string;
  timeZone: string;
  businessDayStartHour: string;
  calendar: string;
  checkInBefore: string;
  checkInAfter: string;
  ticketsOnlyInHours: boolean;
  noticeZh: string;
  noticeEn: string;
  voiceRepeat: string;
  voiceEnglish: boolean;
  noShowAfterCalls: string;
  personalDataDays: string;
  eventPayloadDays: string;
  rectificationDays: string;
}

const text = (n: number | null) => (n === null ? '' : String(n));

export function hallDraftOf(view: HallSettingsView): HallDraft {
  return {
    nameZh: view.name.zh,
    nameEn: view.name.en,
    timeZone: view.timeZone,
    businessDayStartHour: String(view.businessDayStartHour),
    calendar: view.calendar.length === 0 ? '[]' : JSON.stringify(view.calendar, null, 2),
    checkInBefore: String(view.checkInWindow.beforeMinutes),
    checkInAfter: String(view.checkInWindow.afterMinutes),
    ticketsOnlyInHours: view.ticketsOnlyInHours,
    noticeZh: view.displayNotice?.zh ?? '',
    noticeEn: view.displayNotice?.en ?? '',
    voiceRepeat: String(view.voice.repeat),
    voiceEnglish: view.voice.english,
    noShowAfterCalls: String(view.noShowAfterCalls),
    personalDataDays: text(view.retention.personalDataDays),
    eventPayloadDays: text(view.retention.eventPayloadDays),
    rectificationDays: String(view.rectificationDays),
  };
}

const FIELDS: Readonly<Record<string, string | Readonly<Record<string, string>>>> = {
  name: { zh: 'nameZh', en: 'nameEn' },
  displayNotice: { zh: 'noticeZh', en: 'noticeEn' },
  checkInWindow: { beforeMinutes: 'checkInBefore', afterMinutes: 'checkInAfter' },
  voice: { repeat: 'voiceRepeat', english: 'voiceEnglish' },
  retention: { personalDataDays: 'personalDataDays', eventPayloadDays: 'eventPayloadDays' },
};

function fieldOf(path: readonly PropertyKey[], message: string): { field: string; message: string } {
  const [head = 'form', next] = path.map(String);
  if (head === 'calendar') return { field: 'calendar', message: jsonIssue(path.slice(1), message) };
  const mapped = FIELDS[head];
  if (typeof mapped === 'object') return { field: (next && mapped[next]) || Object.values(mapped)[0] || head, message };
  return { field: head, message };
}

export function hallSettingsOf(draft: HallDraft): FormResult<HallSettings> {
  const problems: FieldProblems = {};
  const calendar = parseJsonField(draft.calendar);
  if (!calendar.ok) addProblem(problems, 'calendar', `JSON: ${calendar.message}`);
  return checkWith(
    HallSettings,
    {
      name: { zh: draft.nameZh.trim(), en: draft.nameEn.trim() },
      timeZone: draft.timeZone.trim(),
      businessDayStartHour: wholeNumber(draft.businessDayStartHour),
      calendar: calendar.ok ? (calendar.value ?? []) : [],
      checkInWindow: { beforeMinutes: wholeNumber(draft.checkInBefore), afterMinutes: wholeNumber(draft.checkInAfter) },
      ticketsOnlyInHours: draft.ticketsOnlyInHours,
      displayNotice: optionalLocalized(draft.noticeZh, draft.noticeEn),
      voice: { repeat: wholeNumber(draft.voiceRepeat), english: draft.voiceEnglish },
      noShowAfterCalls: wholeNumber(draft.noShowAfterCalls),
      retention: { personalDataDays: optionalWholeNumber(draft.personalDataDays), eventPayloadDays: optionalWholeNumber(draft.eventPayloadDays) },
      rectificationDays: wholeNumber(draft.rectificationDays),
    },
    fieldOf,
    problems,
  );
}
