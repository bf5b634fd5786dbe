/**
 * The hall displays of bench/portal-load.bench.ts: each follows its hall's Server-Sent Events
 * (`GET /v1/display/events`, its own display token) on one long-lived connection and notes, for
 * every `ticket.called`, when it arrived.
 */
import http from 'node:http';
import { HallEventKind, HallEventEnvelope } from '../../common/contract/hall-events.js';
import { EVENT_STREAM_PATHS } from '../../common/contract/display-api.js';
import type { LoadDisplay } from './layout.js';

export interface ReceivedCall {
  hallId: string;
  displayId: string;
  seq: number;
  ticketId: string;
  /** The event's `at`: the database clock when the portal wrote it, the last statement before COMMIT. */
  at: number;
  /** Date.now() when the frame was read here. */
  receivedAt: number;
}

export interface FollowingDisplay {
  /** Resolves once the stream is open (200, headers received). */
  readonly opened: Promise<void>;
  /** Whether the stream ended or failed before close() (a drop the portal should not make). */
  readonly dropped: boolean;
  close(): void;
}

/** Opens the display's stream; every `ticket.called` goes to `onCall`. */
export function followDisplay(baseUrl: string, display: LoadDisplay, onCall: (call: ReceivedCall) => void): FollowingDisplay {
  let closing = false;
  let dropped = false;
  let request: http.ClientRequest | null = null;
  const opened = new Promise<void>((resolve, reject) => {
    request = http.get(
      `${baseUrl}${EVENT_STREAM_PATHS.display}`,
      { headers: { authorization: `Bearer ${display.token}`, accept: 'text/event-stream' } },
      (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`display ${display.hallId}/${display.displayId}: stream answered ${res.statusCode}`));
          res.resume();
          return;
        }
        resolve();
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          const receivedAt = Date.now();
          buffer += chunk;
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: (.*)$/m.exec(frame)?.[1];
            const data = /^data: (.*)$/m.exec(frame)?.[1];
            if (event !== HallEventKind.TicketCalled || data === undefined) continue;
            const envelope = HallEventEnvelope.parse(JSON.parse(data));
            if (envelope.kind !== HallEventKind.TicketCalled) continue;
            onCall({
              hallId: display.hallId,
              displayId: display.displayId,
              seq: envelope.seq,
              ticketId: envelope.payload.ticketId,
              at: Date.parse(envelope.at),
              receivedAt,
            });
          }
        });
        res.on('end', () => {
          if (!closing) dropped = true;
        });
        res.on('error', () => {
          if (!closing) dropped = true;
        });
      },
    );
    request.on('error', (err) => {
      if (!closing) dropped = true;
      reject(err);
    });
  });
  return {
    opened,
    get dropped() {
      return dropped;
    },
    close() {
      closing = true;
      request?.destroy();
    },
  };
}
