import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyReply } from 'fastify';
import { DropReason, type HallEventSink } from './hall-event-sink.js';
import { HEARTBEAT_FRAME, STREAM_PREAMBLE } from './sse-frames.js';

const DRAIN_POLL_MS = 50;

export interface EventStreamOptions {
  heartbeatMs: number;
  /** The stream ended, whoever ended it (client gone, dropped, shutdown). Called once. */
  onEnd: (reason: DropReason) => void;
}

export interface EventStream extends HallEventSink {
  readonly ended: boolean;
}

/**
 * Turns a Fastify reply into a Server-Sent Events stream: status, headers (the ones the app's
 * hooks set so far, helmet's and the rate limit's, plus the stream's own), the preamble, then
 * frames and a heartbeat until either side ends it. The reply is hijacked: Fastify's serializer
 * and onSend hooks never see it.
 */
export function openEventStream(reply: FastifyReply, options: EventStreamOptions): EventStream {
  const res = reply.raw;
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) headers[name] = value;
  }
  reply.hijack();
  res.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    // nginx and the like would otherwise buffer the stream.
    'x-accel-buffering': 'no',
  });
  res.socket?.setNoDelay(true);

  let ended = false;
  let drainWaiters: (() => void)[] = [];
  const wakeDrainWaiters = (): void => {
    const woken = drainWaiters;
    drainWaiters = [];
    for (const wake of woken) wake();
  };

  const heartbeat = setInterval(() => {
    if (!ended) res.write(HEARTBEAT_FRAME);
  }, options.heartbeatMs);
  heartbeat.unref();

  const finish = (reason: DropReason): void => {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    wakeDrainWaiters();
    options.onEnd(reason);
  };

  res.on('drain', wakeDrainWaiters);
  // The client closed, the socket failed, or we ended it: the same bookkeeping.
  res.on('close', () => finish(DropReason.Gone));
  res.on('error', () => finish(DropReason.Gone));
  res.write(STREAM_PREAMBLE);

  return {
    get ended() {
      return ended;
    },
    send(frame) {
      if (!ended) res.write(frame);
    },
    backlog: () => res.writableLength,
    drained() {
      if (ended || res.writableLength === 0) return Promise.resolve();
      return new Promise((resolve) => {
        // 'drain' comes only after a write that found the buffer full: below that mark, look.
        const look = setInterval(() => {
          if (ended || res.writableLength === 0) done();
        }, DRAIN_POLL_MS);
        const done = (): void => {
          clearInterval(look);
          resolve();
        };
        drainWaiters.push(done);
      });
    },
    close(reason) {
      if (ended) return;
      finish(reason);
      // A client that does not read would hold a graceful end forever: cut it.
      if (res.writableLength > 0) res.destroy();
      else res.end();
    },
  };
}
