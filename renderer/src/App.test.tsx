import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { CheckInOutcome } from '../../common/contract/kiosk-api.js';
import { App } from './App.js';
import { Language } from './i18n/index.js';
import { CheckInMethod, CheckInPhase } from './state/journeys/check-in.js';
import { KioskStoreProvider } from './state/kiosk-store-context.js';
import { Screen, TicketNote, type KioskState } from './state/kiosk-store.js';
import { TechnicianStoreProvider } from './technician/technician-store-context.js';
import { createTechnicianStore } from './technician/technician-store.js';
import { fakeKioskApi } from './testing/fake-kiosk-api.js';
import { sampleCheckIn, sampleTicket } from './testing/fixtures.js';
import { journeyStore } from './testing/journey-store.js';
import { textOf } from './testing/markup.js';

/** The whole page for a store state: proves each screen is wired to the store. */
function page(state: Partial<KioskState>): string {
  const { store } = journeyStore({});
  store.setState(state);
  // Server rendering reads a store's initial state: let it read the state set here.
  const seeded = { ...store, getInitialState: store.getState };
  const html = renderToStaticMarkup(
    <KioskStoreProvider store={seeded}>
      <TechnicianStoreProvider store={createTechnicianStore(fakeKioskApi({}).api)}>
        <App />
      </TechnicianStoreProvider>
    </KioskStoreProvider>,
  );
  store.getState().dispose();
  return html;
}

describe('App', () => {
  it('shows home with its journeys, and each journey screen when the store is on it', () => {
    expect(page({})).toContain('data-testid="journey-bar"');
    for (const screen of [Screen.CheckIn, Screen.Guide, Screen.Progress, Screen.Rating, Screen.Verify]) {
      const html = page({ screen });
      expect(html).toContain(`data-testid="${screen}-screen"`);
      expect(html).not.toContain('data-testid="home-screen"');
    }
  });

  it('passes journey state and language through', () => {
    const html = page({ screen: Screen.CheckIn, language: Language.En, checkIn: { phase: CheckInPhase.Result, method: CheckInMethod.Reference, result: sampleCheckIn(CheckInOutcome.Late) } });
    expect(textOf(html, 'check-in-walk-in')).toBe('Take a regular ticket: Social insurance');
    expect(textOf(page({ screen: Screen.Guide, guide: { query: 'gjj', serviceId: null, print: null } }), 'guide-query')).toBe('gjj');
  });

  it('shows a check-in ticket with its slot and note', () => {
    const html = page({ screen: Screen.Ticket, ticket: sampleTicket({ appointmentStart: '2025-03-04T01:30:00.000Z' }), ticketNote: TicketNote.AlreadyCheckedIn });
    expect(textOf(html, 'ticket-appointment')).toBe('预约 09:30');
    expect(html).toContain('data-testid="ticket-note"');
  });
});
