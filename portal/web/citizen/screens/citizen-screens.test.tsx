import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { CaseStatus, CertificateVerdict } from '../../../../common/contract/cases-api.js';
import { PortalErrorCode } from '../../../../common/contract/errors.js';
import { RatingLevel } from '../../../../common/contract/ratings-api.js';
import { IdNumberErrorCode } from '../../../../common/domain/id-number.js';
import { ClientErrorCode, type UiError } from '../../shared/api/ui-error.js';
import { Language } from '../../shared/i18n/language.js';
import type { CitizenNav } from '../components/citizen-nav.js';
import { citizenDictionaries, type CitizenDictionary } from '../i18n/index.js';
import { CitizenPage, citizenHref, emptyRoute, type CitizenRoute } from '../routing/citizen-route.js';
import { BookingPhase, type BookingState } from '../state/booking-store.js';
import { CancelProblem } from '../state/cancel-store.js';
import type { CitizenShellState } from '../state/citizen-store.js';
import { LoadStatus } from '../state/loadable.js';
import {
  CERTIFICATE_CODE,
  concludedCase,
  HALL_ID,
  NOW,
  sampleCase,
  sampleCitizenCatalog,
  sampleConfirmation,
  sampleHalls,
  sampleHold,
  sampleRating,
  sampleSlots,
  sampleVerification,
  TICKET_ID,
} from '../testing/citizen-fixtures.js';
import { CitizenView, type CitizenHandlers, type CitizenSnapshot } from './CitizenView.js';

const LANGUAGES = [Language.Zh, Language.En] as const;
const base = new URL('http://portal.test/citizen/');
const nav: CitizenNav = { href: (route) => citizenHref(route, base), go: () => undefined };
const noop = () => undefined;
const asyncFalse = async () => false;
const handlers: CitizenHandlers = {
  toggleLanguage: noop,
  retryHalls: noop,
  retryCatalog: noop,
  print: noop,
  booking: {
    open: async () => undefined, reloadSlots: async () => undefined, chooseDay: noop, chooseSlot: noop, holdSlot: asyncFalse, clearIdProblem: noop, confirm: asyncFalse,
    expire: noop, chooseAgain: noop, startOver: noop, dismissError: noop,
  },
  cancel: { cancel: asyncFalse, reset: noop, dismissError: noop },
  progress: { lookup: asyncFalse, clear: noop, dismissError: noop },
  verify: { verify: asyncFalse, dismissError: noop },
  rating: { setTicket: noop, submit: asyncFalse, dismissError: noop },
};

const booking = (overrides: Partial<BookingState> = {}): BookingState => ({
  hallId: HALL_ID,
  serviceId: 'social-insurance',
  phase: BookingPhase.Choosing,
  slots: sampleSlots,
  day: null,
  slotStart: null,
  hold: null,
  confirmation: null,
  clockOffsetMs: 0,
  busy: false,
  error: null,
  idProblem: null,
  ...overrides,
});

function snapshot(route: CitizenRoute, language: Language, overrides: Partial<Omit<CitizenSnapshot, 'shell'>> & { shell?: Partial<CitizenShellState> } = {}): CitizenSnapshot {
  return {
    shell: {
      language,
      route,
      halls: { status: LoadStatus.Ready, value: sampleHalls },
      catalogs: { [HALL_ID]: { status: LoadStatus.Ready, value: sampleCitizenCatalog } },
      clockOffsetMs: 0,
      ...overrides.shell,
    },
    booking: overrides.booking ?? booking(),
    cancel: overrides.cancel ?? { busy: false, error: null, problem: null, cancelled: null },
    progress: overrides.progress ?? { busy: false, error: null, caseNumberProblem: false, idProblem: null, result: null },
    verify: overrides.verify ?? { busy: false, error: null, empty: false, code: null, result: null },
    rating: overrides.rating ?? { ticket: null, busy: false, error: null, incomplete: false, rated: null },
  };
}

const render = (s: CitizenSnapshot, now = NOW) => renderToStaticMarkup(<CitizenView snapshot={s} handlers={handlers} nav={nav} now={now} />);

/** As React writes text into markup. */
const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;');
const has = (html: string, text: string) => html.includes(escaped(text));

/** The text inside the element carrying `data-testid`, tags stripped. */
function textOf(html: string, testId: string): string | null {
  const match = new RegExp(`<(\\w+)[^>]*data-testid="${testId}"[^>]*>(.*?)</\\1>`, 's').exec(html);
  return match ? (match[2] ?? '').replace(/<[^>]+>/g, '') : null;
}

/** The opening tag of the element carrying `data-testid`. */
const tagOf = (html: string, testId: string) => new RegExp(`<[^>]*data-testid="${testId}"[^>]*>`).exec(html)?.[0] ?? '';

const route = (page: CitizenPage, extra: Partial<CitizenRoute> = {}): CitizenRoute => ({ ...emptyRoute(page, HALL_ID), ...extra });
const error = (code: UiError['code']): UiError => ({ code, status: 409, detail: 'x' });
const t = (language: Language): CitizenDictionary => citizenDictionaries[language];

describe('layout', () => {
  it.each(LANGUAGES)('has a skip link, one main landmark, the nav with the current journey, and the hall (%s)', (language) => {
    const html = render(snapshot(route(CitizenPage.Book), language));
    expect(html).toContain('class="skip-link" href="#main"');
    expect(html.match(/<main /g)).toHaveLength(1);
    expect(html).toContain('id="main"');
    expect(html).toContain(`<nav class="site-nav" aria-label="${escaped(t(language).navLabel)}"`);
    expect(tagOf(html, 'nav-book')).toContain('aria-current="page"');
    expect(tagOf(html, 'nav-guide')).not.toContain('aria-current');
    expect(tagOf(html, 'nav-progress')).toContain(`href="/citizen/progress?hall=${HALL_ID}"`);
    expect(textOf(html, 'hall-name')).toBe(language === Language.Zh ? '市民之家政务服务大厅' : 'Citizen Service Hall');
    expect(tagOf(html, 'lang-toggle')).toContain(`data-language="${language}"`);
    expect(html.match(/<h1/g)).toHaveLength(1);
  });
});

describe('hall choice', () => {
  it.each(LANGUAGES)('lists the halls when none is named and several exist, and says when one is unknown (%s)', (language) => {
    const halls = [...sampleHalls, { hallId: 'north-hall', name: { zh: '北区大厅', en: 'North hall' } }];
    const html = render(snapshot(emptyRoute(CitizenPage.Progress), language, { shell: { halls: { status: LoadStatus.Ready, value: halls } } }));
    expect(has(html, t(language).hall.chooseHeading)).toBe(true);
    expect(tagOf(html, 'hall-north-hall')).toContain('href="/citizen/progress?hall=north-hall"');
    const unknown = render(
      snapshot(emptyRoute(CitizenPage.Guide, 'gone-hall'), language, {
        shell: { halls: { status: LoadStatus.Ready, value: halls }, catalogs: { 'gone-hall': { status: LoadStatus.Failed, error: error(PortalErrorCode.NotFound) } } },
      }),
    );
    expect(textOf(unknown, 'unknown-hall')).toBe(t(language).hall.unknown);
    const none = render(snapshot(emptyRoute(CitizenPage.Guide), language, { shell: { halls: { status: LoadStatus.Ready, value: [] } } }));
    expect(textOf(none, 'no-halls')).toBe(t(language).hall.none);
  });

  it.each(LANGUAGES)('shows the catalog loading, and a failed one as a coded error with a retry (%s)', (language) => {
    const loading = render(snapshot(route(CitizenPage.Guide), language, { shell: { catalogs: { [HALL_ID]: { status: LoadStatus.Loading } } } }));
    expect(textOf(loading, 'loading')).toBe(t(language).loading);
    const failed = render(snapshot(route(CitizenPage.Guide), language, { shell: { catalogs: { [HALL_ID]: { status: LoadStatus.Failed, error: error(ClientErrorCode.Network) } } } }));
    expect(tagOf(failed, 'error')).toContain('role="alert"');
    expect(has(failed, t(language).errorByCode[ClientErrorCode.Network])).toBe(true);
    expect(has(failed, t(language).retry)).toBe(true);
  });
});

describe('guide list', () => {
  it.each(LANGUAGES)('lists the enabled services with a live count, badges and a book link for bookable ones (%s)', (language) => {
    const html = render(snapshot(route(CitizenPage.Guide), language));
    expect(html).toContain('data-testid="service-social-insurance"');
    expect(html).toContain('data-testid="service-housing-fund"');
    expect(html).not.toContain('closed-service');
    expect(tagOf(html, 'result-count')).toContain('role="status"');
    expect(textOf(html, 'result-count')).toBe(t(language).guide.resultCount(2));
    expect(tagOf(html, 'book-social-insurance')).toContain(`href="/citizen/book?hall=${HALL_ID}&amp;service=social-insurance"`);
    expect(html).not.toContain('data-testid="book-housing-fund"');
    expect(html).toContain(`href="/citizen/guide?hall=${HALL_ID}&amp;service=housing-fund"`);
    expect(has(html, t(language).guide.bookableBadge)).toBe(true);
    expect(html).toMatch(/<label[^>]*>.*<input type="search"/s);
    expect(html).toContain('role="search"');
  });
});

describe('service guide', () => {
  it.each(LANGUAGES)('shows conditions, materials with form and count, fees, time limits, where and when, and the book link (%s)', (language) => {
    const d = t(language);
    const html = render(snapshot(route(CitizenPage.Service, { serviceId: 'social-insurance' }), language));
    expect(textOf(html, 'service-title')).toBe(language === Language.Zh ? '社保业务' : 'Social insurance');
    expect(textOf(html, 'conditions')).toBe(language === Language.Zh ? '本市参保人员' : 'Insured in this city');
    const materials = textOf(html, 'materials') ?? '';
    expect(materials).toContain(`${d.guide.materialForm.original} · ${d.guide.materialCount(1)}`);
    expect(materials).toContain(`${d.guide.materialForm['original-and-copy']} · ${d.guide.materialCount(2)}`);
    expect(materials).toContain(language === Language.Zh ? '首页及本人页' : 'Cover and own page');
    expect(textOf(html, 'fees')).toBe(language === Language.Zh ? '不收费' : 'Free of charge');
    const limits = textOf(html, 'time-limits') ?? '';
    expect(limits).toContain(d.guide.workingDays(20));
    expect(limits).toContain(d.guide.workingDays(5));
    expect(textOf(html, 'channel')).toBe(d.guide.channel.both);
    expect(textOf(html, 'location')).toContain(language === Language.Zh ? '一楼 A 区' : 'zone A');
    const hours = textOf(html, 'hours') ?? '';
    expect(hours).toContain('09:00–12:00');
    expect(hours).toContain('13:30–17:00');
    expect(hours).toContain(`${d.guide.weekdays[5]}${d.guide.closed}`);
    // Coming holidays and adjusted workdays; past ones are left out.
    const calendar = textOf(html, 'calendar') ?? '';
    expect(calendar).toContain(d.guide.holiday);
    expect(calendar).toContain(d.guide.adjustedWorkday(d.guide.weekdays[0]));
    expect(calendar).toContain('清明节');
    expect(calendar).not.toContain('2024');
    expect(tagOf(html, 'book-service')).toContain(`href="/citizen/book?hall=${HALL_ID}&amp;service=social-insurance"`);
  });

  it.each(LANGUAGES)('says when a service has no guide, is not bookable, or is unknown (%s)', (language) => {
    const d = t(language);
    const html = render(snapshot(route(CitizenPage.Service, { serviceId: 'housing-fund' }), language));
    expect(textOf(html, 'no-guide')).toBe(d.guide.noGuide);
    expect(textOf(html, 'not-bookable')).toBe(d.guide.notBookable);
    expect(html).not.toContain('data-testid="book-service"');
    const unknown = render(snapshot(route(CitizenPage.Service, { serviceId: 'closed-service' }), language));
    expect(textOf(unknown, 'unknown-service')).toBe(d.guide.unknownService);
  });
});

describe('booking', () => {
  const book = (language: Language, state: Partial<BookingState> = {}, now = NOW) =>
    render(snapshot(route(CitizenPage.Book, { serviceId: 'social-insurance' }), language, { booking: booking(state) }), now);

  it.each(LANGUAGES)('offers only bookable services when none is chosen, and the cancel page (%s)', (language) => {
    const html = render(snapshot(route(CitizenPage.Book), language));
    expect(html).toContain('data-testid="book-social-insurance"');
    expect(html).not.toContain('data-testid="book-housing-fund"');
    expect(tagOf(html, 'cancel-link')).toContain(`href="/citizen/cancel?hall=${HALL_ID}"`);
    const notBookable = render(snapshot(route(CitizenPage.Book, { serviceId: 'housing-fund' }), language));
    expect(textOf(notBookable, 'not-bookable')).toBe(t(language).guide.notBookable);
  });

  it.each(LANGUAGES)('shows loading, and slots that cannot be loaded with the reason and a retry (%s)', (language) => {
    expect(book(language, { phase: BookingPhase.Loading, slots: null })).toContain('aria-busy="true"');
    const html = book(language, { phase: BookingPhase.Unavailable, slots: null, error: error(PortalErrorCode.ServiceUnavailable) });
    expect(has(html, t(language).errorByCode[PortalErrorCode.ServiceUnavailable])).toBe(true);
    expect(has(html, t(language).retry)).toBe(true);
  });

  it.each(LANGUAGES)('lists the days of the window with the places left, a full day disabled, and asks for the day first (%s)', (language) => {
    const d = t(language);
    const html = book(language);
    expect(tagOf(html, 'booking')).toContain('data-phase="choosing"');
    expect(textOf(html, 'booking-window')).toContain(language === Language.Zh ? '3月11日' : '11 Mar');
    expect(textOf(html, 'day-2025-03-11')).toContain(d.booking.dayPlaces(3));
    expect(textOf(html, 'day-2025-03-12')).toContain(d.booking.dayFull);
    expect(html).toMatch(/data-testid="day-2025-03-12"><input type="radio" disabled="" name="day" value="2025-03-12"/);
    expect(has(html, d.booking.chooseDayFirst)).toBe(true);
    // The ID number waits for a slot; the hold button too.
    expect(html).toMatch(/<fieldset class="step" aria-labelledby="step-id" disabled="">/);
    expect(tagOf(html, 'hold')).toContain('disabled=""');
  });

  it.each(LANGUAGES)('shows the slots of the chosen day, a full one disabled, and a mistyped ID number’s problem on the field (%s)', (language) => {
    const d = t(language);
    const html = book(language, { day: '2025-03-11', slotStart: '2025-03-11T01:30:00.000Z', idProblem: IdNumberErrorCode.CheckChar });
    expect(textOf(html, 'slot-09:00')).toContain(d.booking.slotFull);
    expect(html).toMatch(/data-testid="slot-09:00"><input type="radio" disabled="" name="slot" value="2025-03-11T01:00:00.000Z"/);
    expect(textOf(html, 'slot-09:30')).toContain(d.booking.slotPlaces(3));
    expect(html).toMatch(/checked="" value="2025-03-11T01:30:00.000Z"/);
    expect(tagOf(html, 'id-problem')).toContain('role="alert"');
    expect(textOf(html, 'id-problem')).toBe(d.booking.idProblem[IdNumberErrorCode.CheckChar]);
    expect(tagOf(html, 'id-number')).toContain('aria-invalid="true"');
    expect(tagOf(html, 'id-number')).toMatch(/aria-describedby="[^"]*-hint [^"]*-error"/);
    expect(tagOf(html, 'hold')).not.toContain('disabled');
  });

  it.each(LANGUAGES)('explains each refusal of a hold in the citizen’s words (%s)', (language) => {
    for (const code of [PortalErrorCode.SlotFull, PortalErrorCode.AlreadyBooked, PortalErrorCode.OutsideBookingWindow, PortalErrorCode.ClosedDay, PortalErrorCode.NoSuchSlot, PortalErrorCode.RateLimited]) {
      const html = book(language, { error: error(code) });
      expect(tagOf(html, 'error'), code).toContain(`data-code="${code}"`);
      expect(has(html, t(language).errorByCode[code]), code).toBe(true);
    }
    // Not found, on this page, is about the slot or the hold.
    expect(has(book(language, { error: error(PortalErrorCode.NotFound) }), t(language).notFoundOn.book)).toBe(true);
  });

  it.each(LANGUAGES)('shows the held place with the time left on the portal’s clock, announced once a minute (%s)', (language) => {
    // Hold expires at 02:05; the phone says 02:00:55 but runs 10 s behind the portal.
    const html = book(language, { phase: BookingPhase.Held, hold: sampleHold, clockOffsetMs: 10_000 }, NOW + 55_000);
    expect(textOf(html, 'countdown')).toBe('3:55');
    expect(tagOf(html, 'countdown')).toContain('role="timer"');
    expect(html).toContain(`aria-live="polite">${escaped(t(language).booking.countdownAnnouncement(4))}</p>`);
    expect(has(html, t(language).booking.heldHeading)).toBe(true);
    expect(textOf(html, 'confirm')).toBe(t(language).booking.confirmButton);
    expect(has(html, t(language).booking.changeNote)).toBe(true);
    const busy = book(language, { phase: BookingPhase.Held, hold: sampleHold, busy: true });
    expect(textOf(busy, 'confirm')).toBe(t(language).booking.confirming);
  });

  it.each(LANGUAGES)('says when the hold ran out, with the reason, and offers to choose again (%s)', (language) => {
    const html = book(language, { phase: BookingPhase.Expired, error: error(PortalErrorCode.HoldExpired) });
    expect(html).toContain('data-testid="hold-expired"');
    expect(has(html, t(language).booking.expiredBody)).toBe(true);
    expect(has(html, t(language).errorByCode[PortalErrorCode.HoldExpired])).toBe(true);
    expect(html).toContain('data-testid="choose-again"');
  });

  it.each(LANGUAGES)('confirms with the reference, its QR code, the check-in window and the cancel code shown once (%s)', (language) => {
    const d = t(language);
    const html = book(language, { phase: BookingPhase.Confirmed, confirmation: sampleConfirmation });
    expect(textOf(html, 'confirmed-heading')).toBe(d.booking.confirmedHeading);
    expect(textOf(html, 'reference')).toBe('HKA-7Q2M9XKD');
    const qr = tagOf(html, 'booking-qr');
    expect(qr).toMatch(/^<svg /);
    expect(qr).toContain('data-payload="HKA-7Q2M9XKD"');
    expect(qr).toContain('role="img"');
    expect(qr).toContain(`aria-label="${escaped(d.booking.qrLabel('HKA-7Q2M9XKD'))}"`);
    expect(html).toMatch(/<path d="M4 4h7v1h-7z/);
    expect(textOf(html, 'booked-time')).toBe('09:30–10:00');
    // 01:00–01:45 UTC is 09:00–09:45 in the hall.
    expect(textOf(html, 'check-in-window')).toBe(d.booking.checkInWindow('09:00', '09:45'));
    expect(textOf(html, 'cancel-code')).toBe('482913');
    expect(textOf(html, 'cancel-code-warning')).toBe(d.booking.cancelCodeWarning);
    expect(tagOf(html, 'cancel-this')).toContain(`href="/citizen/cancel?hall=${HALL_ID}&amp;ref=HKA-7Q2M9XKD"`);
  });
});

describe('cancel', () => {
  const cancel = (language: Language, state: Partial<CitizenSnapshot['cancel']> = {}, extra: Partial<CitizenRoute> = {}) =>
    render(snapshot(route(CitizenPage.Cancel, extra), language, { cancel: { busy: false, error: null, problem: null, cancelled: null, ...state } }));

  it.each(LANGUAGES)('takes the reference (prefilled from the confirmation’s link) and the cancel code (%s)', (language) => {
    const html = cancel(language, {}, { reference: 'HKA-7Q2M9XKD' });
    expect(tagOf(html, 'cancel-reference')).toContain('value="HKA-7Q2M9XKD"');
    expect(tagOf(html, 'cancel-code-input')).toContain('inputMode="numeric"');
    expect(html).toMatch(/<label class="field-label" for="[^"]+">/);
  });

  it.each(LANGUAGES)('marks the wrong field, explains a refusal, and confirms the cancellation (%s)', (language) => {
    const d = t(language);
    expect(textOf(cancel(language, { problem: CancelProblem.Code }), 'code-problem')).toBe(d.cancel.codeFormat);
    expect(tagOf(cancel(language, { problem: CancelProblem.Reference }), 'cancel-reference')).toContain('aria-invalid="true"');
    expect(has(cancel(language, { error: error(PortalErrorCode.NotFound) }), d.notFoundOn.cancel)).toBe(true);
    const done = cancel(language, { cancelled: 'HKA-7Q2M9XKD' });
    expect(textOf(done, 'cancelled')).toBe(d.cancel.doneBody('HKA-7Q2M9XKD'));
    expect(tagOf(done, 'cancelled')).toContain('role="status"');
  });
});

describe('progress', () => {
  const progress = (language: Language, state: Partial<CitizenSnapshot['progress']> = {}) =>
    render(snapshot(route(CitizenPage.Progress), language, { progress: { busy: false, error: null, caseNumberProblem: false, idProblem: null, result: null, ...state } }));

  it.each(LANGUAGES)('asks for the case number and the ID number, marking each problem (%s)', (language) => {
    const d = t(language);
    const html = progress(language, { caseNumberProblem: true, idProblem: IdNumberErrorCode.Format });
    expect(textOf(html, 'case-number-problem')).toBe(d.progress.caseNumberFormat);
    expect(textOf(html, 'progress-id-problem')).toBe(d.booking.idProblem[IdNumberErrorCode.Format]);
    expect(has(progress(language, { error: error(PortalErrorCode.NotFound) }), d.notFoundOn.progress)).toBe(true);
  });

  it.each(LANGUAGES)('shows the status timeline with times, notes as plain text, and what is still ahead (%s)', (language) => {
    const d = t(language);
    const html = progress(language, { result: sampleCase() });
    expect(textOf(html, 'case-heading')).toBe(d.progress.caseHeading('SB20250310-0007'));
    expect(textOf(html, 'case-status')).toBe(d.progress.status.processing);
    expect(textOf(html, 'due-day')).toContain(language === Language.Zh ? '3月17日' : '17 March');
    const timeline = textOf(html, 'timeline') ?? '';
    for (const status of [CaseStatus.Accepted, CaseStatus.Processing, CaseStatus.Concluded, CaseStatus.ReadyForPickup, CaseStatus.PickedUp]) {
      expect(timeline).toContain(d.progress.status[status]);
    }
    expect(html).toContain('data-state="current" aria-current="step"');
    expect(html).toContain('2025/3/10 10:10'.replace('2025/3/10', language === Language.Zh ? '2025/3/10' : '10/03/2025,'));
    // The clerk's note is text: its tags are shown, never parsed.
    expect(html).toContain('材料已转审核科室 &lt;b&gt;不是HTML&lt;/b&gt;');
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('data-testid="certificate"');
  });

  it.each(LANGUAGES)('shows the e-certificate with its verification QR and a link to verify it (%s)', (language) => {
    const d = t(language);
    const html = progress(language, { result: concludedCase() });
    expect(textOf(html, 'certificate-title')).toBe(language === Language.Zh ? '社保参保证明' : 'Social insurance certificate');
    expect(textOf(html, 'certificate-holder')).toBe('张*三');
    expect(tagOf(html, 'certificate-qr')).toContain(`data-payload="${CERTIFICATE_CODE}"`);
    expect(textOf(html, 'certificate-code')).toBe(CERTIFICATE_CODE);
    expect(tagOf(html, 'verify-this')).toContain(`/citizen/verify?hall=${HALL_ID}#${CERTIFICATE_CODE}`);
    expect(has(html, d.progress.certificateHeading)).toBe(true);
    const rejected = progress(language, {
      result: sampleCase({ status: CaseStatus.Rejected, timeline: [{ status: CaseStatus.Rejected, at: '2025-03-10T02:10:00.000Z', note: null }] }),
    });
    expect(textOf(rejected, 'case-status')).toBe(d.progress.status.rejected);
    expect(rejected).not.toContain('data-state="pending"');
  });
});

describe('verify', () => {
  const verify = (language: Language, state: Partial<CitizenSnapshot['verify']> = {}, code: string | null = null) =>
    render(snapshot({ ...emptyRoute(CitizenPage.Verify), certificateCode: code }, language, { verify: { busy: false, error: null, empty: false, code: null, result: null, ...state } }));

  it.each(LANGUAGES)('takes the code from the address or a paste (%s)', (language) => {
    expect(textOf(verify(language, {}, CERTIFICATE_CODE), 'certificate-code-input')).toBe(CERTIFICATE_CODE);
    expect(textOf(verify(language, { empty: true }), 'code-empty')).toBe(t(language).verify.empty);
  });

  it.each(LANGUAGES)('says genuine, forged or altered, unknown key or not a code — and repeats only a genuine one’s content (%s)', (language) => {
    const d = t(language);
    for (const verdict of Object.values(CertificateVerdict)) {
      const html = verify(language, { code: CERTIFICATE_CODE, result: sampleVerification(verdict) });
      expect(tagOf(html, 'verdict'), verdict).toContain(`data-verdict="${verdict}"`);
      expect(textOf(html, 'verdict-title'), verdict).toBe(d.verify.verdictTitle[verdict]);
      expect(has(html, d.verify.verdictBody[verdict]), verdict).toBe(true);
      expect(html.includes('data-testid="verified-certificate"'), verdict).toBe(verdict === CertificateVerdict.Valid);
      expect(html.includes('张*三'), verdict).toBe(verdict === CertificateVerdict.Valid);
    }
    expect(verify(language)).toContain('<div aria-live="polite" aria-atomic="true"></div>');
  });
});

describe('rating', () => {
  const rate = (language: Language, state: Partial<CitizenSnapshot['rating']> = {}) =>
    render(
      snapshot({ ...emptyRoute(CitizenPage.Rate), ticketId: TICKET_ID, ticketNumber: 'A001' }, language, {
        rating: { ticket: { ticketId: TICKET_ID, number: 'A001' }, busy: false, error: null, incomplete: false, rated: null, ...state },
      }),
    );

  it.each(LANGUAGES)('asks for the ticket when the address names none (%s)', (language) => {
    const html = render(snapshot(emptyRoute(CitizenPage.Rate), language));
    expect(html).toContain('data-testid="ticket-form"');
    expect(has(html, t(language).rating.typedIntro)).toBe(true);
  });

  it.each(LANGUAGES)('rates the five levels for 整体, 效率, 水平 and 态度, with a comment (%s)', (language) => {
    const d = t(language);
    const html = rate(language);
    expect(textOf(html, 'rated-ticket')).toBe(d.rating.ticketHeading('A001'));
    for (const dimension of ['overall', 'efficiency', 'expertise', 'attitude'] as const) {
      const fieldset = new RegExp(`data-testid="dimension-${dimension}"><legend class="step-legend">${escaped(d.rating.dimension[dimension])}</legend>`);
      expect(html).toMatch(fieldset);
      expect(html.match(new RegExp(`name="${dimension}"`, 'g'))).toHaveLength(5);
    }
    // 非常满意 first.
    expect(html.indexOf(escaped(d.rating.level[RatingLevel.VerySatisfied]))).toBeLessThan(html.indexOf(escaped(d.rating.level[RatingLevel.VeryDissatisfied])));
    expect(tagOf(html, 'rating-comment')).toContain('maxLength="500"');
    expect(textOf(rate(language, { incomplete: true }), 'rating-incomplete')).toBe(d.rating.chooseAll);
  });

  it.each(LANGUAGES)('explains "already rated" and "not rateable", and thanks (%s)', (language) => {
    const d = t(language);
    expect(has(rate(language, { error: error(PortalErrorCode.AlreadyRated) }), d.errorByCode[PortalErrorCode.AlreadyRated])).toBe(true);
    expect(has(rate(language, { error: error(PortalErrorCode.NotRateable) }), d.errorByCode[PortalErrorCode.NotRateable])).toBe(true);
    const thanks = rate(language, { rated: sampleRating() });
    expect(textOf(thanks, 'thanks')).toBe(d.rating.thanksHeading);
    expect(thanks).not.toContain('data-testid="poor-follow-up"');
    expect(textOf(rate(language, { rated: sampleRating(RatingLevel.VeryDissatisfied) }), 'poor-follow-up')).toBe(d.rating.poorFollowUp);
  });
});
