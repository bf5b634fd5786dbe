import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { Language } from '../../i18n/index.js';
import { TicketNote } from '../../state/kiosk-store.js';
import { sampleConnectivity, sampleHall, samplePrinter, sampleServices, sampleTicket } from '../../testing/fixtures.js';
import { elementOf, testIdsStartingWith, textOf } from '../../testing/markup.js';
import { HomeScreen } from '../HomeScreen.js';
import { TicketScreen } from '../TicketScreen.js';

const noop = () => undefined;

function home(language: Language, busy = false): string {
  return renderToStaticMarkup(
    <HomeScreen
      hall={sampleHall}
      services={sampleServices}
      servicesLoaded
      language={language}
      busy={busy}
      connectivity={sampleConnectivity()}
      printer={samplePrinter()}
      onTakeTicket={noop}
      onToggleLanguage={noop}
      onOpenJourney={noop}
    />,
  );
}

describe('home: the journeys beside "take a ticket"', () => {
  it('offers the five journeys, one tap each, after the services (low on the screen), in Chinese', () => {
    const html = home(Language.Zh);
    expect(testIdsStartingWith(html, 'journey-')).toEqual([
      'journey-bar',
      'journey-check-in',
      'journey-guide',
      'journey-progress',
      'journey-rating',
      'journey-verify',
    ]);
    expect(textOf(html, 'journey-check-in')).toBe('预约签到网上预约后到厅签到');
    expect(textOf(html, 'journey-guide')).toContain('办事指南');
    expect(textOf(html, 'journey-progress')).toContain('办件进度');
    expect(textOf(html, 'journey-rating')).toContain('好差评');
    expect(textOf(html, 'journey-verify')).toContain('证照核验');
    // The journeys come after the service buttons, at the bottom of the screen.
    expect(html.indexOf('data-testid="journey-bar"')).toBeGreaterThan(html.indexOf('data-testid="service-housing-fund"'));
    expect(elementOf(html, 'journey-bar')).toMatch(/^<nav[^>]*aria-labelledby="journey-bar-heading"/);
  });

  it('in English', () => {
    const html = home(Language.En);
    expect(textOf(html, 'journey-check-in')).toBe('Appointment check-inBooked online? Check in here');
    expect(textOf(html, 'journey-verify')).toContain('Verify a certificate');
  });

  it('disables the journeys while a ticket is being taken', () => {
    expect(elementOf(home(Language.Zh, true), 'journey-guide')).toMatch(/disabled=""/);
    expect(elementOf(home(Language.Zh), 'journey-guide')).not.toMatch(/disabled=""/);
  });
});

describe('ticket screen: appointment check-in', () => {
  const render = (language: Language, note: TicketNote | null = null, appointmentStart: string | null = '2025-03-04T01:30:00.000Z') =>
    renderToStaticMarkup(<TicketScreen ticket={sampleTicket({ appointmentStart })} note={note} language={language} timeZone="Asia/Shanghai" onDone={noop} />);

  it('shows the booked slot as "预约 09:30" / "Appointment 09:30" in the hall zone', () => {
    expect(textOf(render(Language.Zh), 'ticket-appointment')).toBe('预约 09:30');
    expect(textOf(render(Language.En), 'ticket-appointment')).toBe('Appointment 09:30');
    expect(render(Language.Zh, null, null)).not.toContain('ticket-appointment');
  });

  it('says when the ticket is the one an earlier check-in got', () => {
    expect(textOf(render(Language.Zh, TicketNote.AlreadyCheckedIn), 'ticket-note')).toBe('您已签到，这是签到时取得的号码');
    expect(textOf(render(Language.En, TicketNote.AlreadyCheckedIn), 'ticket-note')).toContain('checked in already');
    expect(render(Language.Zh)).not.toContain('ticket-note');
  });
});
