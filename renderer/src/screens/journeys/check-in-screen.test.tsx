import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { KioskErrorCode } from '../../../../common/contract/errors.js';
import { CheckInOutcome } from '../../../../common/contract/kiosk-api.js';
import { Language } from '../../i18n/index.js';
import { CheckInMethod, CheckInPhase, type CheckInState } from '../../state/journeys/check-in.js';
import { sampleCheckIn, sampleVisitor } from '../../testing/fixtures.js';
import { commonProps, elementOf, textOf } from '../../testing/markup.js';
import { CheckInScreen } from './CheckInScreen.js';

const noop = () => undefined;
// 09:50 on the booked day, Shanghai.
const NOW = new Date('2025-03-04T01:50:00.000Z');

function render(state: CheckInState, language = Language.Zh, options: { visitor?: boolean; now?: Date } = {}): string {
  const common = commonProps(language, { visitor: options.visitor ? sampleVisitor() : null });
  return renderToStaticMarkup(
    <CheckInScreen common={common} state={state} busy={false} now={options.now ?? NOW} onCheckInWithCard={noop} onRetry={noop} onWalkIn={noop} />,
  );
}

const result = (outcome: CheckInOutcome, method = CheckInMethod.Reference): CheckInState => ({ phase: CheckInPhase.Result, method, result: sampleCheckIn(outcome) });

describe('CheckInScreen', () => {
  it('asks for the booking QR or the ID card, with "back to start" at the bottom', () => {
    const zh = render({ phase: CheckInPhase.Waiting });
    expect(textOf(zh, 'journey-title')).toBe('预约签到');
    expect(textOf(zh, 'check-in-prompt')).toContain('请扫描预约二维码，或刷身份证');
    expect(textOf(zh, 'journey-home')).toBe('返回首页');
    expect(zh).not.toContain('check-in-outcome');
    const en = render({ phase: CheckInPhase.Waiting }, Language.En);
    expect(textOf(en, 'check-in-prompt')).toContain('Scan your booking QR code, or place your ID card on the reader');
    expect(textOf(en, 'journey-home')).toBe('Back to start');
  });

  it('says it is checking, politely live for a screen reader', () => {
    const html = render({ phase: CheckInPhase.Checking, method: CheckInMethod.Card });
    expect(textOf(html, 'check-in-busy')).toBe('正在签到，请稍候…');
    expect(html).toMatch(/aria-live="polite" aria-busy="true"/);
  });

  it('early: come back at the start of the window', () => {
    const zh = render(result(CheckInOutcome.Early));
    expect(elementOf(zh, 'check-in-outcome')).toContain('data-outcome="early"');
    expect(textOf(zh, 'check-in-detail')).toBe('请于 09:00 后再来签到（预约时间 09:30）');
    expect(textOf(zh, 'check-in-appointment')).toBe('预约：社保业务 · 2025年3月4日 09:30');
    expect(textOf(render(result(CheckInOutcome.Early), Language.En), 'check-in-detail')).toBe('Please come back to check in from 09:00 (booked for 09:30)');
  });

  it('late: a clear message and a walk-in ticket of the same service', () => {
    const zh = render(result(CheckInOutcome.Late));
    expect(textOf(zh, 'check-in-detail')).toBe('您预约的 09:30 已于 09:45 截止签到。您可以领取普通号排队。');
    expect(textOf(zh, 'check-in-walk-in')).toBe('领取普通号：社保业务');
    const en = render(result(CheckInOutcome.Late), Language.En);
    expect(textOf(en, 'check-in-detail')).toBe('Check-in for your 09:30 booking closed at 09:45. You can take a regular ticket instead.');
    expect(textOf(en, 'check-in-walk-in')).toBe('Take a regular ticket: Social insurance');
    expect(render(result(CheckInOutcome.Early))).not.toContain('check-in-walk-in');
  });

  it('another day: when to come, or that the day has passed', () => {
    const before = new Date('2025-03-03T02:00:00.000Z');
    expect(textOf(render(result(CheckInOutcome.OtherDay), Language.Zh, { now: before }), 'check-in-detail')).toBe('您的预约在 2025年3月4日 09:30，请当天前来签到');
    const after = new Date('2025-03-05T02:00:00.000Z');
    expect(textOf(render(result(CheckInOutcome.OtherDay), Language.En, { now: after }), 'check-in-detail')).toBe(
      'Your booking on 4 Mar 2025 at 09:30 has passed — please book again or take a ticket',
    );
  });

  it('already checked in, cancelled (with a walk-in ticket) and not found (by code or by card)', () => {
    expect(textOf(render(result(CheckInOutcome.AlreadyCheckedIn)), 'check-in-outcome')).toContain('该预约已签到');
    const cancelled = render(result(CheckInOutcome.Cancelled), Language.En);
    expect(textOf(cancelled, 'check-in-outcome')).toContain('This booking was cancelled');
    expect(cancelled).toContain('data-testid="check-in-walk-in"');
    const byCode = render({ phase: CheckInPhase.Result, method: CheckInMethod.Reference, result: sampleCheckIn(CheckInOutcome.NotFound, { appointment: null }) });
    expect(textOf(byCode, 'check-in-detail')).toBe('未找到该预约码的预约，请核对后重新扫描，或刷身份证签到');
    expect(byCode).not.toContain('check-in-appointment');
    const byCard = render({ phase: CheckInPhase.Result, method: CheckInMethod.Card, result: sampleCheckIn(CheckInOutcome.NotFound, { appointment: null }) }, Language.En);
    expect(textOf(byCard, 'check-in-detail')).toBe('We found no booking of yours for today — scan your booking QR code, or take a ticket');
  });

  it('a failure: what went wrong and a retry', () => {
    const failed: CheckInState = { phase: CheckInPhase.Failed, method: CheckInMethod.Reference, reference: 'HKA-7Q2M9XKD', error: { code: KioskErrorCode.StorageFailure, detail: 'x' } };
    const zh = render(failed);
    expect(textOf(zh, 'check-in-failed')).toBe('暂时无法签到终端故障，请联系工作人员');
    expect(elementOf(zh, 'check-in-failed')).toContain('role="alert"');
    expect(textOf(zh, 'check-in-retry')).toBe('重试');
    expect(textOf(render(failed, Language.En), 'check-in-retry')).toBe('Try again');
  });

  it('shows the identified visitor (masked) with Done, and offers the card check-in', () => {
    const html = render({ phase: CheckInPhase.Waiting }, Language.Zh, { visitor: true });
    expect(textOf(html, 'journey-visitor')).toBe('已识别：刘*䶮完成');
    expect(textOf(html, 'check-in-with-card')).toBe('用已识别的身份证签到');
    expect(render({ phase: CheckInPhase.Waiting })).not.toContain('check-in-with-card');
  });
});
