import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { ConnectivityState, PrinterState, PrintState, type ServiceView } from '../../../common/contract/kiosk-api.js';
import { NumberSource } from '../../../common/domain/ticket-number.js';
import { Language } from '../i18n/index.js';
import { sampleConnectivity, sampleHall, samplePrinter, sampleService, sampleServices, sampleTicket } from '../testing/fixtures.js';
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

function ticket(overrides: Parameters<typeof sampleTicket>[0] = {}, language = Language.Zh): string {
  return renderToStaticMarkup(<TicketScreen ticket={sampleTicket(overrides)} language={language} timeZone="Asia/Shanghai" onDone={noop} />);
}

/** The text inside the element carrying `data-testid`, tags stripped. */
function textOf(html: string, testId: string): string | null {
  const match = new RegExp(`<(\\w+)[^>]*data-testid="${testId}"[^>]*>(.*?)</\\1>`).exec(html);
  return match ? (match[2] ?? '').replace(/<[^>]+>/g, '') : null;
}

describe('HomeScreen', () => {
  it('shows the hall and one large button per service, Chinese name first', () => {
    const html = home();
    expect(textOf(html, 'hall-name')).toBe('市民之家政务服务大厅');
    expect(html).toContain('data-testid="service-social-insurance"');
    expect(html).toContain('data-testid="service-business-license"');
    expect(textOf(html, 'service-social-insurance')).toBe('A社保业务Social insurance');
    expect(html).toContain('data-testid="lang-toggle"');
  });

  it('swaps the names when English is chosen', () => {
    const html = home({ language: Language.En });
    expect(textOf(html, 'hall-name')).toBe('Citizen Service Hall');
    expect(textOf(html, 'service-social-insurance')).toBe('ASocial insurance社保业务');
  });

  it('shows the offline notice only when offline', () => {
    expect(home()).not.toContain('offline-notice');
    expect(textOf(home({ connectivity: sampleConnectivity(ConnectivityState.Offline) }), 'offline-notice')).toBe('网络暂时中断，仍可正常取号');
    expect(textOf(home({ language: Language.En, connectivity: sampleConnectivity(ConnectivityState.Offline) }), 'offline-notice')).toBe(
      'Network interrupted — tickets are still issued',
    );
  });

  it('shows the printer notice only when the printer cannot print', () => {
    expect(home()).not.toContain('printer-notice');
    expect(home({ printer: samplePrinter(PrinterState.PaperNearEnd) })).not.toContain('printer-notice');
    expect(home({ printer: null })).not.toContain('printer-notice');
    const html = home({ printer: samplePrinter(PrinterState.PaperOut) });
    expect(textOf(html, 'printer-notice')).toBe('打印机缺纸，号码将显示在屏幕上');
    expect(html).toMatch(/data-testid="printer-notice" data-state="paper-out"/);
  });

  it('renders names from the portal as text, never as markup', () => {
    const hostile: ServiceView = sampleService({ id: 'x-service', prefix: 'X', name: { zh: '<img src=x onerror=alert(1)>', en: '<b>bold</b>' }, description: null });
    const html = home({ services: [hostile], hall: { ...sampleHall, name: { zh: '<script>alert(1)</script>', en: 'x' } } });
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('disables the service buttons and says so while a ticket is being taken', () => {
    const html = home({ busy: true });
    expect(html).toMatch(/<button[^>]*data-testid="service-social-insurance"[^>]*disabled=""/);
    expect(html).toContain('data-testid="busy"');
    expect(home()).not.toMatch(/disabled=""/);
  });
});

describe('TicketScreen', () => {
  it('shows the number, service, people ahead, issued time and Done', () => {
    const html = ticket();
    expect(textOf(html, 'ticket-number')).toBe('A023');
    expect(html).toContain('社保业务');
    expect(textOf(html, 'people-ahead')).toBe('前面还有 4 人');
    expect(html).toContain('取号时间 14:05');
    expect(textOf(html, 'done-button')).toBe('完成');
    expect(textOf(ticket({}, Language.En), 'done-button')).toBe('Done');
  });

  it('marks approximate and unknown people ahead', () => {
    expect(textOf(ticket({ peopleAhead: 7, peopleAheadApproximate: true }), 'people-ahead')).toBe('前面还有约 7 人');
    expect(textOf(ticket({ peopleAhead: null }), 'people-ahead')).toContain('—');
  });

  it('says approximate (约 / Approx.) on a ticket numbered offline from a band, and says it was issued offline', () => {
    const offline = { number: 'A801', numberSource: NumberSource.Band, peopleAhead: 12, peopleAheadApproximate: true, issuedOffline: true };
    const zh = ticket(offline);
    expect(textOf(zh, 'people-ahead')).toBe('前面还有约 12 人');
    expect(textOf(zh, 'issued-offline')).toBe('离线取号');
    const en = ticket(offline, Language.En);
    expect(textOf(en, 'people-ahead')).toBe('Approx. 12 people ahead of you');
    expect(textOf(en, 'issued-offline')).toBe('Issued offline');
    // Exact counts (numbered online) carry no such word.
    expect(textOf(ticket({}, Language.En), 'people-ahead')).toBe('4 people ahead of you');
  });

  it('badges a ticket issued offline', () => {
    expect(ticket()).not.toContain('issued-offline');
    expect(textOf(ticket({ issuedOffline: true }), 'issued-offline')).toBe('离线取号');
  });

  it.each([
    [PrintState.Pending, '正在打印…', false],
    [PrintState.Printing, '正在打印…', false],
    [PrintState.Printed, '已打印，请取走凭条', false],
    [PrintState.Failed, '打印失败，请拍下屏幕上的号码', true],
    [PrintState.OnScreenOnly, '请拍下屏幕上的号码与二维码', true],
    [PrintState.PossiblyPrinted, '如未取到凭条，请拍下屏幕上的号码', true],
  ])('print state %s: says "%s", QR shown: %s', (printState, text, qr) => {
    const html = ticket({ printState });
    expect(html).toMatch(new RegExp(`data-testid="print-state" data-state="${printState}"`));
    expect(textOf(html, 'print-state')).toBe(text);
    expect(html.includes('data-testid="ticket-qr"')).toBe(qr);
  });

  it('puts the ticket id and number in the QR code', () => {
    const html = ticket({ printState: PrintState.OnScreenOnly, number: 'A2-047' });
    expect(html).toContain(`data-payload="HK1:${sampleTicket().ticketId}:A2-047"`);
  });
});
