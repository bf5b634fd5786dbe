/**
 * The Server-Sent Events wire, parsed once for every client: the browser's hall event stream
 * (common/browser/sse-client.ts) and the kiosk's live channel (offline-queue/sync/live-channel.ts).
 * Pure: text in, messages out; no DOM, no Node, no I/O.
 */

/** One dispatched SSE message. */
export interface SseMessage {
  /** The message's own `id` (null when it had none). */
  id: string | null;
  /** `message` when the frame named no event. */
  event: string;
  data: string;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * The Server-Sent Events parser of the HTML standard, fed text chunks as they come: lines end in
 * CRLF, LF or CR; `data` lines join with LF; comments and unknown fields are ignored; a blank line
 * dispatches. `id` is the message's own (null when it had none).
 */
export class SseParser {
  /** The current line so far (it started in an earlier chunk). */
  private partial = '';
  private data: string[] = [];
  private event = '';
  private id: string | null = null;
  /** The last character seen was a CR: an LF right after it ends no second line. */
  private afterCr = false;
  private first = true;

  constructor(private readonly dispatch: (message: SseMessage) => void) {}

  push(chunk: string): void {
    let text = chunk;
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === LF && this.afterCr) {
        this.afterCr = false;
        start = i + 1;
        continue;
      }
      this.afterCr = c === CR;
      if (c === LF || c === CR) {
        this.line(this.partial + text.slice(start, i));
        this.partial = '';
        start = i + 1;
      }
    }
    this.partial += text.slice(start);
  }

  private line(line: string): void {
    if (line === '') {
      if (this.data.length > 0) this.dispatch({ id: this.id, event: this.event || 'message', data: this.data.join('\n') });
      this.data = [];
      this.event = '';
      this.id = null;
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
  }
}
