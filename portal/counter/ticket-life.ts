import { TicketStatus } from '../../common/contract/counter-api.js';

/**
 * The ticket's life at the counter, as data: what each action may start from and where it leads.
 * The SQL of every transition (ticket-transitions.ts) takes its `from` list from here, so the
 * table below and the database cannot disagree; the model test checks every change it observes
 * against `isTableMove`.
 */
export enum TicketAction {
  /** Call a waiting ticket to a counter (call-next, or a given ticket). */
  Call = 'call',
  /** 重呼: call again; past the hall's limit of calls the recall makes it a no-show instead. */
  Recall = 'recall',
  /** The visitor arrived at the counter. */
  Start = 'start',
  Complete = 'complete',
  /** 弃号. */
  NoShow = 'no-show',
  /** A no-show back in the line, at the back of its class. */
  Requeue = 'requeue',
  /** 挂起: the ticket stays with its counter, which is free again. */
  Hold = 'hold',
  /** 回呼: a held ticket called again to its counter. */
  CallBack = 'call-back',
  /** 转移: to another service or counter, keeping the number and the time waited. */
  Transfer = 'transfer',
  Cancel = 'cancel',
  /** The end-of-day sweep: what a past business day left unfinished. */
  EndOfDay = 'end-of-day',
}

export interface TransitionRule {
  from: readonly TicketStatus[];
  to: TicketStatus;
}

const { Waiting, Called, Serving, Held, NoShow, Done, Cancelled } = TicketStatus;

export const TICKET_TRANSITIONS: Readonly<Record<TicketAction, TransitionRule>> = {
  [TicketAction.Call]: { from: [Waiting], to: Called },
  [TicketAction.Recall]: { from: [Called], to: Called },
  [TicketAction.Start]: { from: [Called], to: Serving },
  [TicketAction.Complete]: { from: [Called, Serving], to: Done },
  [TicketAction.NoShow]: { from: [Called], to: NoShow },
  [TicketAction.Requeue]: { from: [NoShow], to: Waiting },
  [TicketAction.Hold]: { from: [Called, Serving], to: Held },
  [TicketAction.CallBack]: { from: [Held], to: Called },
  [TicketAction.Transfer]: { from: [Called, Serving, Held], to: Waiting },
  [TicketAction.Cancel]: { from: [Waiting, Called, Serving, Held], to: Cancelled },
  [TicketAction.EndOfDay]: { from: [Waiting, Called, Serving, Held], to: Cancelled },
};

/** A ticket in someone's hands: at most one per counter. */
export const ACTIVE_STATUSES: readonly TicketStatus[] = [Called, Serving];

/** Whether a status change is one the table allows (a recall past the limit is a no-show). */
export function isTableMove(from: TicketStatus, to: TicketStatus): boolean {
  return Object.values(TICKET_TRANSITIONS).some((rule) => rule.from.includes(from) && rule.to === to);
}

/** `ticket … is held; only a called or serving ticket can be completed` */
export function refusalMessage(ticketId: string, status: TicketStatus, action: TicketAction): string {
  const rule = TICKET_TRANSITIONS[action];
  return `ticket ${ticketId} is ${status}; only a ${rule.from.join(' or ')} ticket can ${VERBS[action]}`;
}

const VERBS: Readonly<Record<TicketAction, string>> = {
  [TicketAction.Call]: 'be called',
  [TicketAction.Recall]: 'be called again',
  [TicketAction.Start]: 'be served',
  [TicketAction.Complete]: 'become done',
  [TicketAction.NoShow]: 'become no-show',
  [TicketAction.Requeue]: 'be requeued',
  [TicketAction.Hold]: 'be put on hold',
  [TicketAction.CallBack]: 'be called back',
  [TicketAction.Transfer]: 'be transferred',
  [TicketAction.Cancel]: 'be cancelled',
  [TicketAction.EndOfDay]: 'be closed at the end of the day',
};
