import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { KioskErrorCode } from '../../../../common/contract/errors.js';
import { ConnectivityState } from '../../../../common/contract/kiosk-api.js';
import { RatingLevel } from '../../../../common/contract/ratings-api.js';
import { Language } from '../../i18n/index.js';
import { RatingPhase, RatingSource, type RatingState } from '../../state/journeys/rating.js';
import { chooseLevel, EMPTY_DRAFT, RatingDimension, RatingPhrase, togglePhrase } from '../../state/journeys/rating-draft.js';
import { sampleConnectivity, sampleRateable, sampleServices } from '../../testing/fixtures.js';
import { commonProps, elementOf, testIdsStartingWith, textOf } from '../../testing/markup.js';
import { RatingScreen } from './RatingScreen.js';

const noop = () => undefined;
const first = sampleRateable();
const second = sampleRateable({ ticketId: '0193a5e8-7f3c-7a4b-9c2d-1e2f3a4b5c70', number: 'B007', serviceId: 'business-license', counterNumber: null });

function render(state: RatingState, language = Language.Zh, offline = false): string {
  const common = commonProps(language, { connectivity: sampleConnectivity(offline ? ConnectivityState.Offline : ConnectivityState.Online) });
  return renderToStaticMarkup(
    <RatingScreen
      common={common}
      state={state}
      services={sampleServices}
      onRetry={noop}
      onChooseTicket={noop}
      onChooseLevel={noop}
      onTogglePhrase={noop}
      onSubmit={noop}
      onRateNext={noop}
    />,
  );
}

const found = { source: RatingSource.Card, tickets: [first, second], offline: false };
const form = (draft = EMPTY_DRAFT, extra: Partial<Extract<RatingState, { phase: RatingPhase.Form }>> = {}): RatingState => ({
  phase: RatingPhase.Form,
  ...found,
  ticket: first,
  draft,
  ratingId: '0193a5e8-7f3c-7a4b-9c2d-1e2f3a4b5c71',
  submitting: false,
  error: null,
  ...extra,
});

describe('RatingScreen', () => {
  it('asks for the card or the ticket QR, then says it is looking', () => {
    expect(textOf(render({ phase: RatingPhase.Waiting }), 'rating-prompt')).toBe('请刷身份证，或扫描号票上的二维码');
    expect(textOf(render({ phase: RatingPhase.Waiting }, Language.En), 'rating-prompt')).toBe('Place your ID card on the reader, or scan the QR code on your ticket');
    expect(textOf(render({ phase: RatingPhase.Loading, source: RatingSource.Card }), 'rating-loading')).toBe('正在查询可评价的业务…');
    expect(textOf(render({ phase: RatingPhase.Loading, source: RatingSource.Card }, Language.En), 'rating-loading')).toBe('Looking up your visits…');
  });

  it("lists today's served tickets with service, counter and time", () => {
    const zh = render({ phase: RatingPhase.Choose, ...found });
    expect(testIdsStartingWith(zh, 'rating-ticket-')).toEqual(['rating-ticket-A023', 'rating-ticket-B007']);
    expect(textOf(zh, 'rating-ticket-A023')).toBe('A023社保业务3 号窗口 · 14:35 办结');
    expect(textOf(zh, 'rating-ticket-B007')).toBe('B007企业登记14:35 办结');
    expect(textOf(render({ phase: RatingPhase.Choose, ...found }, Language.En), 'rating-ticket-A023')).toBe('A023Social insuranceCounter 3 · Served at 14:35');
  });

  it('nothing to rate: by card, and for a scanned ticket that cannot be rated; offline says so', () => {
    expect(textOf(render({ phase: RatingPhase.Choose, source: RatingSource.Card, tickets: [], offline: false }), 'rating-none')).toContain('今天没有待评价的业务');
    expect(textOf(render({ phase: RatingPhase.Choose, source: RatingSource.Ticket, tickets: [], offline: false }, Language.En), 'rating-none')).toBe(
      'This ticket cannot be rated: a visit can be rated once it is served, and only once',
    );
    const offline = render({ phase: RatingPhase.Choose, source: RatingSource.Card, tickets: [], offline: true });
    expect(textOf(offline, 'rating-offline')).toBe('网络暂时中断，无法查询全部记录；可扫描号票二维码评价');
  });

  it('the form: the five national levels for 整体, 效率, 水平 and 态度, as radio groups; submit waits for all', () => {
    const html = render(form());
    expect(textOf(html, 'rating-form-heading')).toBe('评价 A023 社保业务');
    for (const dimension of Object.values(RatingDimension)) {
      const group = elementOf(html, `rating-dimension-${dimension}`) ?? '';
      expect(group).toMatch(/role="radiogroup" aria-labelledby="rating-[a-z]+-label"/);
      expect(testIdsStartingWith(group, `rating-${dimension}-`).length).toBe(5);
    }
    expect(textOf(html, 'rating-dimension-overall')).toBe('整体评价非常满意满意基本满意不满意非常不满意');
    expect(textOf(html, 'rating-dimension-efficiency')).toContain('办事效率');
    expect(textOf(html, 'rating-dimension-expertise')).toContain('业务水平');
    expect(textOf(html, 'rating-dimension-attitude')).toContain('服务态度');
    expect(elementOf(html, 'rating-submit')).toContain('disabled=""');
    expect(textOf(html, 'rating-need-all')).toBe('请为每一项选择评价');
    expect(textOf(html, 'rating-phrases')).toBe('想说的话（可选）选择整体评价后可补充');

    const en = render(form(), Language.En);
    expect(textOf(en, 'rating-dimension-overall')).toBe('OverallVery satisfiedSatisfiedBasically satisfiedDissatisfiedVery dissatisfied');
    expect(textOf(en, 'rating-submit')).toBe('Submit');
  });

  it('marks the chosen level of each dimension, offers matching phrases and enables submit', () => {
    let draft = chooseLevel(EMPTY_DRAFT, RatingDimension.Overall, RatingLevel.Dissatisfied);
    draft = togglePhrase(draft, RatingPhrase.LongWait);
    const html = render(form(draft));
    expect(elementOf(html, 'rating-overall-dissatisfied')).toContain('aria-checked="true"');
    expect(elementOf(html, 'rating-overall-satisfied')).toContain('aria-checked="false"');
    expect(elementOf(html, 'rating-dimension-attitude')).toContain('data-level="dissatisfied"');
    expect(elementOf(html, 'rating-phrase-long-wait')).toContain('aria-pressed="true"');
    expect(textOf(html, 'rating-phrase-unclear-materials')).toBe('材料要求不清楚');
    expect(html).not.toContain('rating-phrase-efficient');
    expect(elementOf(html, 'rating-submit')).not.toContain('disabled=""');
    expect(html).not.toContain('rating-need-all');
    expect(textOf(render(form(draft), Language.En), 'rating-phrase-long-wait')).toBe('Long wait');
  });

  it('while submitting, and after a failed submit', () => {
    const draft = chooseLevel(EMPTY_DRAFT, RatingDimension.Overall, RatingLevel.Satisfied);
    const submitting = render(form(draft, { submitting: true }));
    expect(textOf(submitting, 'rating-submit')).toBe('正在提交…');
    expect(elementOf(submitting, 'rating-submit')).toContain('disabled=""');
    const failed = render(form(draft, { error: { code: KioskErrorCode.StorageFailure, detail: '' } }), Language.En);
    expect(textOf(failed, 'rating-submit-failed')).toBe('Could not submit — please try again');
  });

  it('thanks, offline queued, a ticket already rated, and the next ticket', () => {
    const thanks: RatingState = { phase: RatingPhase.Thanks, ...found, tickets: [second], number: 'A023', queued: true };
    const zh = render(thanks);
    expect(textOf(zh, 'rating-thanks')).toBe('感谢您的评价！号票 A023 已评价');
    expect(textOf(zh, 'rating-next')).toBe('评价下一张（还有 1 张）');
    expect(textOf(render(thanks, Language.En, true), 'rating-queued-offline')).toBe('It will be sent as soon as the network is back');
    expect(zh).not.toContain('rating-queued-offline');
    const already = render({ ...thanks, tickets: [], queued: false }, Language.En);
    expect(textOf(already, 'rating-thanks')).toContain('This ticket was rated already');
    expect(already).not.toContain('rating-next');
  });

  it('a failed lookup with a retry', () => {
    const failed: RatingState = { phase: RatingPhase.Failed, source: RatingSource.Card, error: { code: KioskErrorCode.ServiceUnavailable, detail: '' }, ticket: null };
    expect(textOf(render(failed), 'rating-failed')).toBe('暂时无法查询服务暂时不可用，请稍后再试');
    expect(textOf(render(failed, Language.En), 'rating-retry')).toBe('Try again');
  });
});
