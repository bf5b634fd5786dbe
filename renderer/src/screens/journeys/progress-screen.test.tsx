import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { KioskErrorCode } from '../../../../common/contract/errors.js';
import { Language } from '../../i18n/index.js';
import { PrintPhase } from '../../state/journeys/print-phase.js';
import { ProgressPhase, type ProgressState } from '../../state/journeys/progress.js';
import { sampleCases, sampleVisitor } from '../../testing/fixtures.js';
import { commonProps, elementOf, textOf } from '../../testing/markup.js';
import { ProgressScreen } from './ProgressScreen.js';

const noop = () => undefined;
const NOW = new Date('2025-03-04T06:05:30.000Z');

function render(state: ProgressState, language = Language.Zh): string {
  return renderToStaticMarkup(<ProgressScreen common={commonProps(language, { visitor: sampleVisitor() })} state={state} now={NOW} onRetry={noop} onPrintSlip={noop} />);
}

const loaded = (overrides: Parameters<typeof sampleCases>[0] = {}): ProgressState => ({ phase: ProgressPhase.Loaded, view: sampleCases(overrides), slip: null });

describe('ProgressScreen', () => {
  it('asks for the ID card when nobody is identified', () => {
    expect(textOf(render({ phase: ProgressPhase.NeedCard }), 'progress-need-card')).toBe('请将身份证放在感应区，查询您的办件进度');
    expect(textOf(render({ phase: ProgressPhase.NeedCard }, Language.En), 'progress-need-card')).toBe('Place your ID card on the reader to see your applications');
  });

  it('says it is looking', () => {
    expect(textOf(render({ phase: ProgressPhase.Loading }), 'progress-loading')).toBe('正在查询…');
    expect(textOf(render({ phase: ProgressPhase.Loading }, Language.En), 'progress-loading')).toBe('Looking up your applications…');
  });

  it('shows each case with its status and timeline, oldest step first, the current one marked', () => {
    const html = render(loaded());
    expect(textOf(html, 'progress-count')).toBe('共 2 件');
    const open = elementOf(html, 'case-SB-20250301-0007') ?? '';
    expect(open).toContain('data-status="processing"');
    expect(textOf(open, 'case-status')).toBe('办理中');
    expect(textOf(open, 'case-due')).toBe('承诺办结日期：2025年3月8日');
    expect(textOf(open, 'case-timeline')).toBe('受理 2025年3月1日 10:10办理中 2025年3月2日 14:00材料已送审核科室');
    expect(open).toMatch(/data-status="processing" aria-current="step"/);
    expect(open).not.toContain('case-print-slip');
    expect(html).not.toContain('progress-cache');
  });

  it('in English', () => {
    const html = render(loaded(), Language.En);
    expect(textOf(html, 'progress-count')).toBe('2 applications');
    expect(textOf(elementOf(html, 'case-SB-20250220-0003') ?? '', 'case-status')).toBe('Concluded');
    expect(textOf(html, 'case-due')).toBe('Promised by 8 Mar 2025');
  });

  it('offers the verification slip of a concluded case with a certificate', () => {
    const concluded = elementOf(render(loaded()), 'case-SB-20250220-0003') ?? '';
    expect(textOf(concluded, 'case-certificate')).toBe('电子证照：社保参保证明');
    expect(textOf(concluded, 'case-print-slip-SB-20250220-0003')).toBe('打印核验凭条');
    expect(textOf(render(loaded(), Language.En), 'case-print-slip-SB-20250220-0003')).toBe('Print the verification slip');
  });

  it.each([
    [PrintPhase.Printing, '正在打印…', 'Printing…'],
    [PrintPhase.Printed, '已打印，请取走核验凭条', 'Printed — please take the verification slip'],
    [PrintPhase.Failed, '暂时无法打印，请稍后再试', 'Cannot print right now — please try again later'],
  ])('slip %s is said beside its case', (phase, zh, en) => {
    const state: ProgressState = { phase: ProgressPhase.Loaded, view: sampleCases(), slip: { caseNumber: 'SB-20250220-0003', phase } };
    expect(textOf(render(state), 'case-slip-result')).toBe(zh);
    expect(textOf(render(state, Language.En), 'case-slip-result')).toBe(en);
  });

  it('cached cases say how old they are ("5 分钟前的数据" / "As of 5 minutes ago")', () => {
    const cached = loaded({ fromCache: true, fetchedAt: '2025-03-04T06:00:00.000Z' });
    const zh = render(cached);
    expect(textOf(zh, 'progress-cache-age')).toBe('5 分钟前的数据');
    expect(elementOf(zh, 'progress-cache')).toContain('data-minutes="5"');
    expect(textOf(render(cached, Language.En), 'progress-cache-age')).toBe('As of 5 minutes ago');
  });

  it('no cases, and a failed lookup with a retry', () => {
    expect(textOf(render(loaded({ cases: [] })), 'progress-empty')).toBe('没有查询到您的办件');
    expect(textOf(render(loaded({ cases: [] }), Language.En), 'progress-empty')).toBe('No applications found for you');
    const failed: ProgressState = { phase: ProgressPhase.Failed, error: { code: KioskErrorCode.ServiceUnavailable, detail: '' } };
    expect(textOf(render(failed), 'progress-failed')).toBe('暂时无法查询办件进度服务暂时不可用，请稍后再试');
    expect(textOf(render(failed, Language.En), 'progress-retry')).toBe('Try again');
  });

  it('writes clerks\' notes as text, never as markup', () => {
    const [first, second] = sampleCases().cases;
    if (!first || !second) throw new Error('fixture');
    const hostile = { ...first, timeline: [{ ...first.timeline[0]!, note: '<img src=x onerror=alert(1)>' }] };
    const html = render({ phase: ProgressPhase.Loaded, view: sampleCases({ cases: [hostile, second] }), slip: null });
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
