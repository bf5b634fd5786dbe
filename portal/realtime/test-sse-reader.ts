/**
 * Test support: a bare Server-Sent Events reader over fetch, deliberately not the browser client
 * (common/browser/sse-client.ts): the server's tests read the wire as it is, comments included,
 * with no dedupe or reconnection to hide a fault.
 */

export interface SseFrame {
  id: string | null;
  event: string | null;
  data: string | null;
  /** Comment lines (`: heartbeat`), without the colon. */
  comments: string[];
  /** `retry:` if the frame had one. */
  retry: string | null;
}

export interface SseReader {
  readonly status: number;
  readonly headers: Headers;
  /** Every frame so far, in order. */
  readonly frames: SseFrame[];
  /** The frames that carry an event (`event:` or `data:`). */
  events(): SseFrame[];
  /** Resolves with the first frame (from `fromIndex` on) that matches, or throws after `timeoutMs`. */
  waitFor(match: (frame: SseFrame) => boolean, timeoutMs?: number, fromIndex?: number): Promise<SseFrame>;
  /** Resolves once the server ended the stream. */
  readonly ended: Promise<void>;
  /** Whether the server ended it. */
  isEnded(): boolean;
  /** The raw text so far. */
  raw(): string;
  close(): void;
}

export interface OpenSseOptions {
  token?: string;
  lastEventId?: string;
  headers?: Record<string, string>;
}

function parseFrame(block: string): SseFrame {
  const frame: SseFrame = { id: null, event: null, data: null, comments: [], retry: null };
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) {
      frame.comments.push(line.slice(1).trim());
      continue;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') frame.id = value;
    else if (field === 'event') frame.event = value;
    else if (field === 'data') frame.data = frame.data === null ? value : `${frame.data}\n${value}`;
    else if (field === 'retry') frame.retry = value;
  }
  return frame;
}

/** Opens a stream; resolves once the response headers are in (a non-200 answer is read whole). */
export async function openSse(url: string, options: OpenSseOptions = {}): Promise<SseReader> {
  const abort = new AbortController();
  const headers: Record<string, string> = { accept: 'text/event-stream', ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
  const res = await fetch(url, { headers, signal: abort.signal });
  const frames: SseFrame[] = [];
  let text = '';
  let pending = '';
  let ended = false;
  const listeners = new Set<() => void>();
  const notify = (): void => {
    for (const listener of [...listeners]) listener();
  };

  const ending = (async () => {
    if (!res.body) return;
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const chunk = decoder.decode(value, { stream: true });
        text += chunk;
        pending += chunk;
        let end: number;
        while ((end = pending.indexOf('\n\n')) !== -1) {
          frames.push(parseFrame(pending.slice(0, end)));
          pending = pending.slice(end + 2);
        }
        notify();
      }
    } catch {
      // Aborted by close(), or the connection was cut: either way the stream is over.
    } finally {
      ended = true;
      notify();
    }
  })();

  const isEvent = (f: SseFrame): boolean => f.event !== null || f.data !== null;
  return {
    status: res.status,
    headers: res.headers,
    frames,
    events: () => frames.filter(isEvent),
    ended: ending,
    isEnded: () => ended,
    raw: () => text,
    waitFor(match, timeoutMs = 5_000, fromIndex = 0) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = frames.slice(fromIndex).find(match);
          if (found) {
            cleanup();
            resolve(found);
            return true;
          }
          if (ended) {
            cleanup();
            reject(new Error(`stream ended before the frame came; got ${frames.length} frames`));
            return true;
          }
          return false;
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no matching frame within ${timeoutMs} ms; got ${frames.length} frames`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          listeners.delete(listener);
        };
        const listener = (): void => void check();
        listeners.add(listener);
        check();
      });
    },
    close: () => abort.abort(),
  };
}
