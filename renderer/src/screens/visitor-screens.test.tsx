import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { CardRejectReason, DeviceKind, DeviceState, ScanKind } from '../../../common/contract/kiosk-api.js';
import { Priority } from '../../../common/domain/priority.js';
import { Language } from '../i18n/index.js';
import { NoticeKind } from '../state/kiosk-store.js';
import { sampleConnectivity, sampleHall, samplePrinter, sampleScan, sampleServices, sampleTicket, sampleVisitor } from '../testing/fixtures.js';
import { HomeScreen, type HomeScreenProps } from './HomeScreen.js';
import { TicketScreen } from './TicketScreen.js';

const noop = () => undefined;

function home(overrides: Partial<HomeScreenProps> = {}): string {
  return renderToStaticMarkup(
    <HomeScreen
      hall={sampleHall}
      services={sampleServices}
      servicesLoaded
      language={Language.Zh}
      busy={false}
      connectivity={sampleConnectivity()}
      printer={samplePrinter()}
      onTakeTicket={noop}
      onToggleLanguage={noop}
      {...overrides}
    />,
  );
}

function textOf(html: string, testId: string): string | null {
  const match = new RegExp(`<(\\w+)[^>]*data-testid="${testId}"[^>]*>(.*?)</\\1>`).exec(html);
  return match ? (match[2] ?? '').replace(/<[^>]+>/g, '') : null;
}

describe('HomeScreen with an identified visitor', () => {
  it('shows the masked name and number, the priority badge, the prompt and Done', () => {
    const html = home({ visitor: sampleVisitor() });
    expect(textOf(html, 'visitor-name')).toBe('刘*䶮，您好');
    expect(textOf(html, 'visitor-id-number')).toBe('1101**********1234');
    expect(textOf(html, 'priority-badge')).toBe('老年人优先');
    expect(html).toContain('请选择业务');
    expect(html).toContain('居民身份证');
    expect(textOf(html, 'visitor-done')).toBe('完成');
    // The service buttons stay: the visitor picks one next.
    expect(html).toContain('data-testid="service-social-insurance"');
  });

  it('shows no badge for a normal priority, and speaks English on the toggle', () => {
    const html = home({ visitor: sampleVisitor({ priority: Priority.Normal, age: 35 }), language: Language.En });
    expect(html).not.toContain('priority-badge');
    expect(textOf(html, 'visitor-name')).toBe('Hello, 刘*䶮');
  });

  it('shows no panel without a visitor', () => {
    expect(home()).not.toContain('visitor-panel');
    expect(home({ visitor: null })).toContain('请选择您要办理的业务');
  });
});

describe('HomeScreen notices', () => {
  it('words each scan kind and each refused card', () => {
    expect(textOf(home({ notice: { kind: NoticeKind.Scan, scan: sampleScan() } }), 'scan-notice')).toBe('已识别预约码 (HKA-7Q2M9XKD)');
    const unknown = home({ notice: { kind: NoticeKind.Scan, scan: sampleScan({ kind: ScanKind.Unknown, reference: null }) } });
    expect(textOf(unknown, 'scan-notice')).toBe('无法识别此二维码');
    expect(unknown).toContain('data-kind="unknown"');
    const expired = home({ notice: { kind: NoticeKind.Card, reason: CardRejectReason.Expired }, language: Language.En });
    expect(textOf(expired, 'card-notice')).toMatch(/expired/);
  });

  it('warns about a broken reader, not about a missing one', () => {
    const status = (state: DeviceState) => ({ device: DeviceKind.Reader, state, detail: null, changedAt: '2025-03-04T06:00:00.000Z' });
    expect(textOf(home({ reader: status(DeviceState.Disconnected) }), 'reader-notice')).toBe('身份证阅读器暂不可用，可直接选择业务取号');
    expect(home({ reader: status(DeviceState.NotConfigured) })).not.toContain('reader-notice');
    expect(home({ reader: status(DeviceState.Ready) })).not.toContain('reader-notice');
  });
});

describe('TicketScreen with a holder', () => {
  it('shows the masked holder name, and nothing when the ticket has none', () => {
    const render = (holderName?: string) =>
      renderToStaticMarkup(<TicketScreen ticket={sampleTicket(holderName ? { holderName } : {})} language={Language.Zh} timeZone="Asia/Shanghai" onDone={noop} />);
    expect(textOf(render('䶮*'), 'ticket-holder')).toBe('取号人：䶮*');
    expect(render()).not.toContain('ticket-holder');
  });
});
