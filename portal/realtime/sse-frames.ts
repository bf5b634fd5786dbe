import { HallStreamSignal, ResyncReason } from '../../common/contract/hall-events.js';
import { envelopeJson, type StoredHallEvent } from './hall-event-store.js';

/**
 * The frames of the hall event streams (Server-Sent Events, text/event-stream):
 *
 *     id: 42
 *     event: ticket.called
 *     data: {"kind":"ticket.called","payload":{…},"seq":42,"at":"2025-03-10T02:00:00.000Z"}
 *
 * `id` is the event's seq in its hall, so a reconnecting client's `Last-Event-ID` says where it
 * stopped. Besides the hall events (`event:` = the `HallEventKind`), the stream sends:
 * - `ready` once the replay after `Last-Event-ID` is written: the client is caught up; its `id` is
 *   the seq it is caught up to (a client with no event yet reconnects from there);
 * - `resync` when the client's `Last-Event-ID` cannot be replayed (older than the events kept, or
 *   beyond the hall's last one, e.g. a restored database): its `id` is the hall's last seq; the
 *   client must reload its snapshot, and the stream goes on from that seq;
 * - a comment line every heartbeat interval, so proxies and the client see the stream alive.
 * JSON never holds a raw newline, so every `data:` is one line.
 */

/** Client reconnect delay for EventSource-style clients (ours does its own backoff). */
export const SSE_RETRY_MS = 2_000;

export function hallEventFrame(event: StoredHallEvent): string {
  return `id: ${event.seq}\nevent: ${event.kind}\ndata: ${envelopeJson(event)}\n\n`;
}

export function readyFrame(lastEventSeq: number): string {
  return `id: ${lastEventSeq}\nevent: ${HallStreamSignal.Ready}\ndata: {"lastEventSeq":${lastEventSeq}}\n\n`;
}

export function resyncFrame(lastEventSeq: number, reason: ResyncReason): string {
  return `id: ${lastEventSeq}\nevent: ${HallStreamSignal.Resync}\ndata: {"lastEventSeq":${lastEventSeq},"reason":"${reason}"}\n\n`;
}

/** The first bytes of every stream: the reconnect delay, and a comment that gets the headers out at once. */
export const STREAM_PREAMBLE = `retry: ${SSE_RETRY_MS}\n: connected\n\n`;

export const HEARTBEAT_FRAME = ': heartbeat\n\n';
