/**
 * Where a subscriber's frames go: one SSE response (event-stream.ts), or a test's
 * array. `send` never blocks; the hub watches `backlog` and drops a client that stops reading.
 */
export interface HallEventSink {
  send(frame: string): void;
  /** Bytes sent but not yet taken by the client. */
  backlog(): number;
  /** Resolves when the backlog has been written out (or the sink closed). */
  drained(): Promise<void>;
  /** Ends the stream (the client reconnects, to this process or another). */
  close(reason: DropReason): void;
}

export enum DropReason {
  /** Its backlog passed `maxBacklogBytes`: it does not read. */
  Slow = 'slow',
  /** The same principal opened more than `maxStreamsPerPrincipal` streams: the oldest goes. */
  Replaced = 'replaced',
  /** Its replay failed (database away); it reconnects and tries again. */
  Failed = 'failed',
  /** The client went away (or the route ended the stream). */
  Gone = 'gone',
  ShuttingDown = 'shutting-down',
}
