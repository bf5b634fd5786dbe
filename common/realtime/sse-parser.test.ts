import { describe, expect, it } from 'vitest';
import { SseParser, type SseMessage } from './sse-parser.js';

function parse(chunks: readonly string[]): SseMessage[] {
  const got: SseMessage[] = [];
  const parser = new SseParser((m) => got.push(m));
  for (const chunk of chunks) parser.push(chunk);
  return got;
}

describe('SseParser', () => {
  it('reads the portal frames of the kiosk stream whatever the chunking', () => {
    const wire =
      'retry: 2000\n: connected\n\n' +
      'id: 7\nevent: ready\ndata: {"lastEventSeq":7}\n\n' +
      ': heartbeat\n\n' +
      'id: 8\nevent: appointments.changed\ndata: {"kind":"appointments.changed","payload":{"days":["2025-03-10"]},"seq":8,"at":"2025-03-10T01:00:00.000Z"}\n\n';
    for (const size of [1, 5, 64, wire.length]) {
      const chunks: string[] = [];
      for (let i = 0; i < wire.length; i += size) chunks.push(wire.slice(i, i + size));
      const got = parse(chunks);
      expect(got.map((m) => [m.id, m.event])).toEqual([
        ['7', 'ready'],
        ['8', 'appointments.changed'],
      ]);
      expect(JSON.parse(got[1]?.data ?? '')).toMatchObject({ seq: 8, payload: { days: ['2025-03-10'] } });
    }
  });

  it('keeps a CRLF split across chunks as one line end, drops an id with NUL, and reads a field without a colon', () => {
    const got = parse(['id: a\0b\r', '\ndata: x\r', '\n\r', '\ndata\n\n']);
    expect(got).toEqual([
      { id: null, event: 'message', data: 'x' },
      { id: null, event: 'message', data: '' },
    ]);
  });

  it('dispatches nothing for a frame without data, nor for a frame still open at the end of the input', () => {
    expect(parse(['event: ping\n\n', 'data: half'])).toEqual([]);
  });
});
