import { describe, expect, it } from 'vitest';
import { TicketStatus } from '../../common/contract/counter-api.js';
import { TICKET_TRANSITIONS, TicketAction, isTableMove, refusalMessage } from './ticket-life.js';

const { Waiting, Called, Serving, Held, NoShow, Done, Cancelled } = TicketStatus;

describe('the transition table', () => {
  it('allows exactly the moves of the documented table', () => {
    const moves = new Set<string>();
    for (const from of Object.values(TicketStatus)) {
      for (const to of Object.values(TicketStatus)) if (isTableMove(from, to)) moves.add(`${from}>${to}`);
    }
    expect([...moves].sort()).toEqual(
      [
        `${Waiting}>${Called}`,
        `${Waiting}>${Cancelled}`,
        `${Called}>${Called}`,
        `${Called}>${Serving}`,
        `${Called}>${Done}`,
        `${Called}>${NoShow}`,
        `${Called}>${Held}`,
        `${Called}>${Waiting}`,
        `${Called}>${Cancelled}`,
        `${Serving}>${Done}`,
        `${Serving}>${Held}`,
        `${Serving}>${Waiting}`,
        `${Serving}>${Cancelled}`,
        `${Held}>${Called}`,
        `${Held}>${Waiting}`,
        `${Held}>${Cancelled}`,
        `${NoShow}>${Waiting}`,
      ].sort(),
    );
  });

  it('never leaves done or cancelled, and the sweep leaves no-shows alone', () => {
    for (const rule of Object.values(TICKET_TRANSITIONS)) {
      expect(rule.from).not.toContain(Done);
      expect(rule.from).not.toContain(Cancelled);
    }
    expect(TICKET_TRANSITIONS[TicketAction.EndOfDay].from).not.toContain(NoShow);
  });

  it('says why a transition is refused', () => {
    expect(refusalMessage('t1', Held, TicketAction.Complete)).toBe('ticket t1 is held; only a called or serving ticket can become done');
    expect(refusalMessage('t2', Waiting, TicketAction.NoShow)).toBe('ticket t2 is waiting; only a called ticket can become no-show');
  });
});
