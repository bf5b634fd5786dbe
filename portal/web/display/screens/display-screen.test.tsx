import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { TicketStatus } from '../../../../common/contract/counter-api.js';
import { PortalErrorCode } from '../../../../common/contract/errors.js';
import { Language } from '../../shared/i18n/language.js';
import { FeedStatus } from '../../shared/live/hall-event-feed.js';
import { NOW, NOW_ISO, sampleDisplayState } from '../../testing/fixtures.js';
import { DisplayPhase, type BoardCall, type DisplayState } from '../state/display-store.js';
import { counterSubtitle, DisplayScreen } from './DisplayScreen.js';
import { tickerSeconds } from './NoticeTicker.js';

function textOf(html: string, testId: string): string | null {
  const match = new RegExp(`<(\\w+)[^>]*data-testid="${testId}"[^>]*>(.*?)</\\1>`).exec(html);
  return match ? (match[2] ?? '').replace(/<[^>]+>/g, '') : null;
}

function tagOf(html: string, testId: string): string {
  return new RegExp(`<[^>]*data-testid="${testId}"[^>]*>`).exec(html)?.[0] ?? '';
}

const call = (number: string, counterNumber: number, overrides: Partial<BoardCall> = {}): BoardCall => ({
  ticketId: `0195a000-0000-7000-8000-${number.replace(/\D/g, '').padStart(12, '0')}`,
  number,
  counterNumber,
  counterName: { zh: '综合窗口', en: 'General' },
  recall: false,
  calledAt: NOW_ISO,
  status: TicketStatus.Called,
  ...overrides,
});

function state(overrides: Partial<DisplayState> = {}): DisplayState {
  const snapshot = sampleDisplayState();
  return {
    phase: DisplayPhase.Showing,
    hall: snapshot.hall,
    settings: snapshot.settings,
    services: snapshot.services,
    waiting: { 'social-insurance': 4, 'housing-fund': 0 },
    calls: [call('A051', 3, { recall: true }), call('C007', 12, { status: TicketStatus.Serving }), call('A050', 1, { status: TicketStatus.NoShow })],
    fresh: { [call('A051', 3).ticketId]: true },
    lastSeq: 10,
    feed: FeedStatus.Live,
    clockOffsetMs: 0,
    error: null,
    audioBlocked: false,
    ...overrides,
  };
}

const html = (s: DisplayState = state(), language = Language.Zh) => renderToStaticMarkup(<DisplayScreen state={s} language={language} now={NOW} />);

describe('DisplayScreen', () => {
  it('shows the latest call large, number to counter, blinking while new, and the others below', () => {
    const page = html();
    expect(page.indexOf('data-testid="call-A051"')).toBeLessThan(page.indexOf('data-testid="call-C007"'));
    expect(tagOf(page, 'call-A051')).toContain('class="call call-lead call-fresh"');
    expect(tagOf(page, 'call-C007')).toContain('data-fresh="false"');
    expect(page).toMatch(/data-testid="call-A051".*?<span class="call-number" data-testid="call-number">A051<\/span>.*?<span class="call-counter-sign">3 号窗口<\/span>/);
    expect(page).toMatch(/data-testid="call-C007".*?12 号窗口/);
    expect(textOf(page, 'recall-badge')).toBe('重呼');
    // What became of earlier calls.
    expect(tagOf(page, 'call-C007')).toContain('data-status="serving"');
    expect(page).toMatch(/data-testid="call-C007".*?data-testid="status-badge">办理中</);
    expect(page).toMatch(/data-testid="call-A050".*?data-testid="status-badge">过号</);
    // Said for a screen reader near the wall, as the voice says it.
    expect(textOf(page, 'latest-call-text')).toBe('重呼，请 A 0 5 1 号 到 3 号窗口 办理');
  });

  it('shows both languages, the primary one first', () => {
    const zh = html();
    expect(textOf(zh, 'hall-name')).toBe('市民之家政务服务大厅Citizen Service Hall');
    expect(zh).toContain('请以下号码到窗口办理');
    expect(zh).toContain('Now calling');
    const en = html(state(), Language.En);
    expect(textOf(en, 'hall-name')).toBe('Citizen Service Hall市民之家政务服务大厅');
    expect(en.indexOf('Now calling')).toBeLessThan(en.indexOf('请以下号码到窗口办理'));
    expect(en).toMatch(/data-testid="call-A051".*?Counter 3/);
    expect(textOf(en, 'latest-call-text')).toBe('Calling again. Number A 0 5 1, please go to counter 3');
  });

  it('shows the waiting count per service and the notice', () => {
    const page = html();
    expect(textOf(page, 'waiting-social-insurance')).toContain('社保业务');
    expect(page).toMatch(/data-testid="waiting-social-insurance".*?data-testid="waiting-count">4 人</);
    expect(page).toMatch(/data-testid="waiting-housing-fund".*?data-testid="waiting-count">0 人</);
    expect(textOf(page, 'notice')).toBe('请保管好随身物品　　Please keep your belongings with you');
    expect(tagOf(html(state({ settings: { notice: null, voiceRepeat: 1, voiceEnglish: false } })), 'notice')).toBe('');
  });

  it('names the counter under its sign without echoing a name that is only the sign', () => {
    expect(counterSubtitle({ counterNumber: 3, counterName: { zh: '综合窗口', en: 'General' } }, Language.Zh)).toBe('综合窗口 · Counter 3');
    expect(counterSubtitle({ counterNumber: 8, counterName: { zh: '8号窗口', en: 'Counter 8' } }, Language.Zh)).toBe('Counter 8');
    expect(counterSubtitle({ counterNumber: 8, counterName: { zh: '8 号窗口', en: 'Counter 8' } }, Language.En)).toBe('8 号窗口');
  });

  it('sizes the ticker by the notice length, so long notices scroll no faster', () => {
    expect(tickerSeconds('短')).toBe(20);
    expect(tickerSeconds('x'.repeat(200))).toBe(120);
  });

  it('says when the network is lost, and nothing while live', () => {
    expect(html()).not.toContain('feed-notice');
    expect(textOf(html(state({ feed: FeedStatus.Reconnecting })), 'feed-notice')).toBe('网络中断，正在重新连接，叫号不会遗漏');
    expect(html()).not.toContain('audio-blocked');
    expect(textOf(html(state({ audioBlocked: true })), 'audio-blocked')).toContain('--autoplay-policy=no-user-gesture-required');
  });

  it('says how to set the display up without a token, or that its token was refused', () => {
    const none = html(state({ phase: DisplayPhase.NoToken }));
    expect(tagOf(none, 'display-setup')).toContain('data-phase="no-token"');
    expect(none).toContain('显示屏尚未授权');
    expect(none).toContain('#token=');
    expect(none).toContain('This display is not set up');
    expect(html(state({ phase: DisplayPhase.Refused }))).toContain('显示屏授权无效');
    const loading = html(state({ phase: DisplayPhase.Loading, calls: [], error: { code: PortalErrorCode.ServiceUnavailable, status: 503, detail: '' } }));
    expect(textOf(loading, 'display-error')).toBe('服务暂时不可用，请稍后再试');
    expect(textOf(loading, 'no-calls')).toContain('暂无叫号');
  });

  it('renders the portal’s texts as text, never as markup', () => {
    const hostile = state({
      hall: { hallId: 'h', name: { zh: '<script>alert(1)</script>', en: '<b>x</b>' } },
      settings: { notice: { zh: '<img src=x onerror=alert(1)>', en: 'x' }, voiceRepeat: 1, voiceEnglish: false },
      calls: [call('A001', 1, { counterName: { zh: '<i>窗口</i>', en: 'y' } })],
    });
    const page = html(hostile);
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<i>');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
