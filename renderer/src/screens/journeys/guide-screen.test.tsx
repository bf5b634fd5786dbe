import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { ServiceChannel } from '../../../../common/contract/guide.js';
import { Language } from '../../i18n/index.js';
import { initialGuide, type GuideState } from '../../state/journeys/guide.js';
import { PrintPhase } from '../../state/journeys/print-phase.js';
import { sampleGuide, sampleService, sampleServices } from '../../testing/fixtures.js';
import { commonProps, elementOf, testIdsStartingWith, textOf } from '../../testing/markup.js';
import type { ServiceView } from '../../../../common/contract/kiosk-api.js';
import { GuideScreen } from './GuideScreen.js';

const noop = () => undefined;

function render(state: Partial<GuideState>, language = Language.Zh, services: ServiceView[] = sampleServices, busy = false): string {
  return renderToStaticMarkup(
    <GuideScreen
      common={commonProps(language)}
      state={{ ...initialGuide, ...state }}
      services={services}
      busy={busy}
      onKey={noop}
      onBackspace={noop}
      onClear={noop}
      onOpenService={noop}
      onBackToList={noop}
      onPrint={noop}
      onTakeTicket={noop}
    />,
  );
}

describe('GuideScreen: the list', () => {
  it('lists every service with an on-screen letter keyboard (the kiosk has no keyboard)', () => {
    const html = render({});
    expect(textOf(html, 'journey-title')).toBe('办事指南');
    expect(textOf(html, 'guide-query')).toBe('全部业务');
    expect(testIdsStartingWith(html, 'guide-service-')).toEqual(['guide-service-social-insurance', 'guide-service-business-license', 'guide-service-housing-fund']);
    expect(textOf(html, 'guide-count')).toBe('找到 3 项业务');
    for (const letter of 'abcdefghijklmnopqrstuvwxyz') expect(html).toContain(`data-testid="key-${letter}"`);
    expect(textOf(html, 'key-backspace')).toBe('删除');
    expect(elementOf(html, 'guide-keyboard')).toMatch(/role="group" aria-label="拼音字母键盘"/);
    // No text field: nothing for an input method to open over the kiosk.
    expect(html).not.toContain('<input');
  });

  it('finds 住房公积金 by the pinyin initials gjj', () => {
    const html = render({ query: 'gjj' });
    expect(textOf(html, 'guide-query')).toBe('gjj');
    expect(testIdsStartingWith(html, 'guide-service-')).toEqual(['guide-service-housing-fund']);
    expect(textOf(html, 'guide-service-housing-fund')).toBe('C住房公积金Housing provident fund');
    expect(textOf(render({ query: 'gjj' }, Language.En), 'guide-count')).toBe('1 service found');
  });

  it('says when nothing matches', () => {
    expect(textOf(render({ query: 'xyzq' }), 'guide-count')).toBe('没有找到相关业务，请换个字母试试');
    expect(textOf(render({ query: 'xyzq' }, Language.En), 'guide-count')).toBe('No service found — try other letters');
  });
});

describe('GuideScreen: one service guide', () => {
  it('shows conditions, materials (form and count), fees, time limits, place, channel and hours', () => {
    const html = render({ serviceId: 'social-insurance' });
    expect(textOf(html, 'guide-title')).toBe('社保业务Social insurance');
    expect(textOf(html, 'guide-conditions')).toBe('本市户籍或在本市就业的人员已参加社会保险');
    expect(elementOf(html, 'guide-materials')).toContain('data-form="original-and-copy" data-count="2"');
    expect(textOf(html, 'guide-materials')).toBe('居民身份证原件1 份户口簿原件及复印件2 份首页及本人页');
    expect(textOf(html, 'guide-fees')).toBe('不收费');
    expect(textOf(html, 'guide-legal-limit')).toBe('法定时限：20 个工作日');
    expect(textOf(html, 'guide-promised-limit')).toBe('承诺时限：5 个工作日');
    expect(textOf(html, 'guide-location')).toBe('一楼 A 区 3–6 号窗口');
    expect(textOf(html, 'guide-channel')).toBe('网上办理或大厅窗口办理');
    expect(textOf(html, 'guide-hours')).toBe('周一至周五 09:00–12:00、13:30–17:00周六 09:00–12:00');
    expect(textOf(html, 'guide-print')).toBe('打印材料清单');
    expect(textOf(html, 'guide-take-ticket')).toBe('办理此业务，取号');
    expect(textOf(html, 'guide-back')).toBe('返回业务列表');
  });

  it('in English', () => {
    const html = render({ serviceId: 'social-insurance' }, Language.En);
    expect(textOf(html, 'guide-title')).toBe('Social insurance社保业务');
    expect(textOf(html, 'guide-materials')).toContain('Household registerOriginal and copy× 2Front page and own page');
    expect(textOf(html, 'guide-legal-limit')).toBe('Legal time limit: 20 working days');
    expect(textOf(html, 'guide-channel')).toBe('Online or at a counter in the hall');
    expect(textOf(html, 'guide-hours')).toBe('Mon–Fri 09:00–12:00, 13:30–17:00Sat 09:00–12:00');
    expect(textOf(html, 'guide-print')).toBe('Print the materials list');
    expect(textOf(html, 'guide-take-ticket')).toBe('Take a ticket for this service');
  });

  it('without a guide: says so, no print button, still hours and a ticket', () => {
    const html = render({ serviceId: 'housing-fund' });
    expect(textOf(html, 'guide-none')).toBe('本业务暂无办事指南，请咨询工作人员');
    expect(html).not.toContain('data-testid="guide-print"');
    expect(textOf(html, 'guide-hours')).toBe('暂未公布办理时间');
    expect(html).toContain('data-testid="guide-take-ticket"');
  });

  it.each([
    [PrintPhase.Printing, '正在打印…', 'Printing…'],
    [PrintPhase.Printed, '已打印，请取走材料清单', 'Printed — please take the list'],
    [PrintPhase.Failed, '暂时无法打印，请拍照留存本页', 'Cannot print right now — please take a photo of this page'],
  ])('print %s is said in both languages', (phase, zh, en) => {
    const state = { serviceId: 'social-insurance', print: { serviceId: 'social-insurance', phase } };
    expect(textOf(render(state), 'guide-print-result')).toBe(zh);
    expect(textOf(render(state, Language.En), 'guide-print-result')).toBe(en);
    expect(elementOf(render(state), 'guide-print')?.includes('disabled=""')).toBe(phase === PrintPhase.Printing);
  });

  it('renders guide text from the portal as text, never as markup', () => {
    const hostile = sampleService({
      id: 'hostile',
      prefix: 'H',
      name: { zh: '<img src=x onerror=alert(1)>', en: 'x' },
      description: null,
      guide: {
        ...sampleGuide,
        conditions: [{ zh: '<script>alert(1)</script>', en: 'x' }],
        fees: { zh: '<b>free</b>', en: 'x' },
        channel: ServiceChannel.InHall,
      },
    });
    const html = render({ serviceId: 'hostile' }, Language.Zh, [hostile]);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('disables "take a ticket" while one is being taken', () => {
    expect(elementOf(render({ serviceId: 'social-insurance' }, Language.Zh, sampleServices, true), 'guide-take-ticket')).toContain('disabled=""');
  });
});
