import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { CounterState, TicketStatus, type CounterView } from '../../../../common/contract/counter-api.js';
import { PortalErrorCode } from '../../../../common/contract/errors.js';
import { Priority } from '../../../../common/domain/priority.js';
import { Language } from '../../shared/i18n/language.js';
import { FeedStatus } from '../../shared/live/hall-event-feed.js';
import { NOW, sampleCatalog, sampleCounter, sampleQueue, sampleSession, sampleTicket, waiting } from '../../testing/fixtures.js';
import { ConsoleAction } from '../state/console-actions.js';
import { ConsolePhase, type ConsoleState } from '../state/console-store.js';
import { ChooseCounterScreen } from './ChooseCounterScreen.js';
import { ConsoleScreen, type ConsoleHandlers } from './ConsoleScreen.js';
import { SignInScreen } from './SignInScreen.js';

const noop = () => undefined;
const handlers: ConsoleHandlers = {
  onPress: noop, onComplete: noop, onCallBack: noop, onTransfer: noop, onRequeue: noop, onRate: noop, onSkipRating: noop, onPause: noop, onResume: noop,
  onLeaveCounter: noop, onSignOut: noop, onCloseDialog: noop, onToggleLanguage: noop, onDismissError: noop,
};

/** The text inside the element carrying `data-testid`, tags stripped. */
function textOf(html: string, testId: string): string | null {
  const match = new RegExp(`<(\\w+)[^>]*data-testid="${testId}"[^>]*>(.*?)</\\1>`).exec(html);
  return match ? (match[2] ?? '').replace(/<[^>]+>/g, '') : null;
}

/** The opening tag of the element carrying `data-testid`. */
function tagOf(html: string, testId: string): string {
  return new RegExp(`<[^>]*data-testid="${testId}"[^>]*>`).exec(html)?.[0] ?? '';
}

const current = sampleTicket({
  number: 'A051',
  status: TicketStatus.Called,
  counterId: 'window-3',
  priority: Priority.Appointment,
  maskedName: '张*三',
  appointmentAt: '2025-03-10T06:00:00.000Z',
  queueAt: '2025-03-10T01:40:00.000Z',
  calledAt: '2025-03-10T01:52:00.000Z',
  callCount: 2,
});

function state(overrides: Partial<ConsoleState> = {}, counter: Partial<CounterView> = {}): ConsoleState {
  return {
    phase: ConsolePhase.Console,
    language: Language.Zh,
    halls: [],
    session: sampleSession,
    counters: [sampleCounter({ state: CounterState.Busy, currentTicket: current, ...counter })],
    catalog: sampleCatalog,
    counterId: 'window-3',
    queue: sampleQueue({
      waiting: [
        waiting(1, { number: 'A060', priority: Priority.Elderly, queueAt: '2025-03-10T01:30:00.000Z' }),
        waiting(2, { number: 'C002', serviceId: 'housing-fund', targetCounterId: 'window-3', queueAt: '2025-03-10T01:55:00.000Z' }),
      ],
      held: [sampleTicket({ number: 'A040', status: TicketStatus.Held, counterId: 'window-3' })],
      noShows: [sampleTicket({ number: 'A033', status: TicketStatus.NoShow, counterId: 'window-3', callCount: 3 })],
    }),
    clockOffsetMs: 0,
    busy: false,
    error: null,
    nobodyWaiting: false,
    dialog: null,
    feed: FeedStatus.Live,
    ratingPrompt: null,
    ratingThanks: false,
    ...overrides,
  };
}

const consoleHtml = (s: ConsoleState = state()) => renderToStaticMarkup(<ConsoleScreen state={s} now={NOW} handlers={handlers} />);

describe('ConsoleScreen', () => {
  it('shows the current visitor: number, service, class, masked name, appointment, waited minutes and calls', () => {
    const html = consoleHtml();
    expect(textOf(html, 'counter-title')).toBe('3 号窗口 公积金不动产');
    expect(textOf(html, 'current-number')).toBe('A051');
    expect(textOf(html, 'current-status')).toBe('已呼叫');
    expect(textOf(html, 'current-service')).toBe('社保业务');
    expect(textOf(html, 'current-priority')).toBe('预约');
    expect(textOf(html, 'current-name')).toBe('张*三');
    // 14:00 in the hall's zone, whatever zone the test machine has.
    expect(textOf(html, 'current-appointment')).toBe('14:00');
    // Waited from queueAt until the call: 12 minutes.
    expect(textOf(html, 'current-waited')).toBe('12 分钟');
    expect(textOf(html, 'current-calls')).toBe('2 次');
    // The live region announces a new number without moving the focus.
    expect(html).toMatch(/<div aria-live="polite" aria-atomic="true"><p class="current-number"/);
  });

  it('is all English when English is chosen', () => {
    const html = consoleHtml(state({ language: Language.En }));
    expect(textOf(html, 'counter-title')).toBe('Counter 3 Housing and property');
    expect(textOf(html, 'current-service')).toBe('Social insurance');
    expect(textOf(html, 'current-priority')).toBe('Appointment');
    expect(textOf(html, 'current-waited')).toBe('12 minutes');
    expect(textOf(html, 'action-call-next')).toBe('F1Call next');
    // No Chinese left but the language toggle's own name and the names of people.
    const visible = html.replace(/<button[^>]*data-testid="lang-toggle".*?<\/button>/, '').replace('张*三', '').replace('李娜', '');
    expect(visible).not.toMatch(/[\u4e00-\u9fff]/u);
  });

  it('lists who is next and why: position, class, appointment, waited minutes, and a ticket sent to this counter', () => {
    const html = consoleHtml();
    expect(textOf(html, 'waiting-total')).toBe('共 2 人等候');
    expect(html).toContain('叫号顺序：先按类别');
    const first = /<tr data-testid="waiting-A060"[^>]*>(.*?)<\/tr>/.exec(html)?.[1]?.replace(/<[^>]+>/g, '|');
    expect(first).toContain('|1|');
    expect(first).toContain('老年人优先');
    expect(first).toContain('30 分钟');
    expect(textOf(html, 'transferred-here')).toBe('转至本窗口');
    expect(textOf(html, 'held-A040')).toContain('A040');
    expect(textOf(html, 'no-shows-A033')).toContain('A033 重新排队');
  });

  it('offers the keys the ticket allows, each declaring its function key', () => {
    const html = consoleHtml();
    expect(tagOf(html, 'action-recall')).toContain('aria-keyshortcuts="F2"');
    expect(tagOf(html, 'action-recall')).not.toContain('disabled');
    expect(tagOf(html, 'action-start')).not.toContain('disabled');
    expect(tagOf(html, 'action-call-next')).toContain('disabled');
    // A called ticket blocks call-back until the counter is free.
    expect(tagOf(html, 'action-call-back')).toContain('disabled');
    const idle = consoleHtml(state({}, { state: CounterState.Idle, currentTicket: null }));
    expect(textOf(idle, 'current-empty')).toContain('F1');
    expect(tagOf(idle, 'action-call-next')).not.toContain('disabled');
    expect(tagOf(idle, 'action-call-back')).not.toContain('disabled');
    expect(tagOf(idle, 'action-recall')).toContain('disabled');
    // Everything waits while a request is in flight.
    expect(tagOf(consoleHtml(state({ busy: true })), 'action-recall')).toContain('disabled');
  });

  it('warns when the next recall makes the ticket a no-show', () => {
    expect(consoleHtml()).not.toContain('auto-no-show-hint');
    const third = { ...current, callCount: 3 };
    const html = consoleHtml(state({}, { currentTicket: third }));
    expect(textOf(html, 'auto-no-show-hint')).toBe('已呼叫 3 次（上限 3 次）：再次重呼或呼叫下一位将自动记为过号');
    expect(tagOf(html, 'action-call-next')).not.toContain('disabled');
  });

  it('shows a coded error in the page’s language, as an alert', () => {
    const error = { code: PortalErrorCode.CounterBusy, status: 409, detail: 'counter window-3 holds A051' };
    const zh = consoleHtml(state({ error }));
    expect(tagOf(zh, 'error')).toContain('role="alert"');
    expect(textOf(zh, 'error')).toContain('本窗口还有正在呼叫或办理的号码');
    expect(zh).not.toContain('holds A051');
    expect(textOf(consoleHtml(state({ error, language: Language.En })), 'error')).toContain('complete, hold or transfer it first');
  });

  it('shows paused and connection states, with resume instead of pause', () => {
    const html = consoleHtml(state({ feed: FeedStatus.Reconnecting }, { state: CounterState.Paused, currentTicket: null }));
    expect(textOf(html, 'paused-notice')).toBe('窗口已暂停，恢复服务后才能叫号');
    expect(textOf(html, 'live-status')).toBe('连接中断，正在重连');
    expect(html).toContain('data-testid="resume"');
    expect(html).not.toContain('data-testid="pause"');
    expect(tagOf(html, 'action-call-next')).toContain('disabled');
  });

  it('opens the complete, call-back and transfer dialogs as labelled modal dialogs', () => {
    const complete = consoleHtml(state({ dialog: { kind: ConsoleAction.Complete } }));
    expect(tagOf(complete, 'complete-dialog')).toMatch(/^<dialog [^>]*aria-labelledby="complete-dialog-title"/);
    expect(tagOf(complete, 'complete-dialog')).toContain('aria-modal="true"');
    expect(complete).toContain('办件编号（选填）');
    const idle = { state: CounterState.Idle, currentTicket: null };
    const callBack = consoleHtml(state({ dialog: { kind: ConsoleAction.CallBack } }, idle));
    expect(textOf(callBack, 'call-back-choose-A040')).toContain('回呼 A040');
    const transfer = consoleHtml(state({ dialog: { kind: ConsoleAction.Transfer } }));
    expect(transfer).toContain('转移号码 A051');
    expect(transfer).toContain('<option value="housing-fund" selected="">住房公积金</option>');
    // Not back to the service it is in.
    expect(transfer).not.toContain('<option value="social-insurance"');
  });

  it('renders names from the portal as text, never as markup', () => {
    const hostile = { ...current, maskedName: '<img src=x onerror=alert(1)>' };
    const html = consoleHtml(state({ catalog: { ...sampleCatalog, hall: { ...sampleCatalog.hall, name: { zh: '<script>alert(1)</script>', en: 'x' } } } }, { currentTicket: hostile }));
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('the rating prompt after completion (好差评)', () => {
  const idle = { state: CounterState.Idle, currentTicket: null };
  const prompted = (language = Language.Zh) => consoleHtml(state({ language, ratingPrompt: { ticketId: current.ticketId, number: 'A051' } }, idle));

  /** The labels of one group of levels, in order. */
  const levels = (html: string, group: string) =>
    [...(new RegExp(`<fieldset[^>]*data-testid="rating-${group}"[^>]*>(.*?)</fieldset>`).exec(html)?.[1] ?? '').matchAll(/<span>([^<]*)<\/span>/g)].map((m) => m[1]);

  it('offers the five national levels by their Chinese names, the three dimensions and a comment, as a labelled region', () => {
    const html = prompted();
    expect(tagOf(html, 'rating-panel')).toMatch(/^<section [^>]*aria-labelledby="rating-heading"/);
    expect(tagOf(html, 'rating-panel')).toContain('aria-describedby="rating-hint"');
    expect(html).toContain('<h2 id="rating-heading">请为本次服务评价（A051）</h2>');
    expect(levels(html, 'overall')).toEqual(['非常满意', '满意', '基本满意', '不满意', '非常不满意']);
    // Each group is a fieldset of native radios named by its legend: arrow keys and screen readers work.
    for (const [group, legend] of [['overall', '整体评价'], ['efficiency', '办事效率'], ['expertise', '业务水平'], ['attitude', '服务态度']] as const) {
      expect(html).toMatch(new RegExp(`<fieldset class="rating-levels" data-testid="rating-${group}"><legend>${legend}</legend><label[^>]*><input type="radio"[^>]*name="rating-${group}" value="very-satisfied"`));
      expect(levels(html, group)).toHaveLength(5);
    }
    expect(html).toMatch(/<label class="field"><span>意见建议（选填）<\/span><textarea name="comment"[^>]*maxLength="500"/);
    // Nothing chosen yet: submit waits for the overall level; skip is always there.
    expect(tagOf(html, 'rating-submit')).toContain('disabled');
    expect(textOf(html, 'rating-skip')).toBe('跳过');
    expect(tagOf(html, 'rating-skip')).not.toContain('disabled');
    // The counter keys stay usable beside it (it is not a modal dialog).
    expect(html).not.toContain('<dialog');
    expect(tagOf(html, 'action-call-next')).not.toContain('disabled');
  });

  it('is all English when English is chosen, and thanks the visitor once rated', () => {
    const html = prompted(Language.En);
    expect(levels(html, 'overall')).toEqual(['Very satisfied', 'Satisfied', 'Basically satisfied', 'Dissatisfied', 'Very dissatisfied']);
    expect(html).toContain('Please rate this visit (A051)');
    const panel = /<section[^>]*data-testid="rating-panel".*?<\/section>/.exec(html)?.[0] ?? '';
    expect(panel).not.toMatch(/[\u4e00-\u9fff]/u);
    expect(consoleHtml(state({}, idle))).not.toContain('rating-panel');
    const thanks = consoleHtml(state({ ratingThanks: true }, idle));
    expect(tagOf(thanks, 'rating-thanks')).toContain('role="status"');
    expect(textOf(thanks, 'rating-thanks')).toBe('感谢您的评价！');
  });
});

describe('SignInScreen and ChooseCounterScreen', () => {
  it('labels every field of the sign-in form, in both languages', () => {
    const props = { halls: [{ hallId: 'demo-city-hall', name: sampleCatalog.hall.name }], busy: false, error: null, onSignIn: async () => true, onToggleLanguage: noop, onDismissError: noop };
    const zh = renderToStaticMarkup(<SignInScreen {...props} language={Language.Zh} />);
    expect(zh).toMatch(/<label class="field"><span>用户名<\/span><input[^>]*data-testid="username"/);
    expect(zh).toMatch(/<label class="field"><span>密码<\/span><input[^>]*type="password"/);
    expect(zh).toContain('<option value="demo-city-hall" selected="">市民之家政务服务大厅</option>');
    const en = renderToStaticMarkup(<SignInScreen {...props} language={Language.En} error={{ code: PortalErrorCode.LockedOut, status: 423, detail: '' }} />);
    expect(textOf(en, 'sign-in-button')).toBe('Sign in');
    expect(textOf(en, 'error')).toContain('the account is locked for a while');
  });

  it('lists the counters, the ones held by others not choosable, and the services of the chosen one', () => {
    const counters = [
      sampleCounter({ counterId: 'window-1', number: 1, staffId: 'clerk2', staffName: '王强', state: CounterState.Busy }),
      sampleCounter({ counterId: 'window-3', number: 3, staffId: null, staffName: null, state: CounterState.SignedOut }),
    ];
    const html = renderToStaticMarkup(
      <ChooseCounterScreen language={Language.Zh} session={sampleSession} counters={counters} catalog={sampleCatalog} busy={false} error={null} onChoose={noop} onSignOut={noop} onToggleLanguage={noop} onDismissError={noop} />,
    );
    expect(textOf(html, 'signed-in-as')).toBe('李娜（窗口人员）');
    expect(textOf(html, 'counter-window-1')).toContain('王强 正在使用');
    expect(html).toMatch(/data-testid="counter-window-1"[^>]*><input type="radio"[^>]*disabled=""/);
    // The free counter is chosen by default, with its services offered.
    expect(html).toMatch(/data-testid="counter-window-3"[^>]*><input type="radio"[^>]*checked=""/);
    expect(html).toContain('住房公积金');
  });
});
