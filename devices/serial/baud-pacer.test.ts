import { describe, expect, it } from 'vitest';
import { BaudPacer, wireTimeMs } from './baud-pacer.js';

describe('wireTimeMs', () => {
  it('counts 10 bits a byte (8N1)', () => {
    expect(wireTimeMs(1359, 115200)).toBeCloseTo(117.97, 2);
    expect(wireTimeMs(960, 9600)).toBe(1000);
  });
});

describe('BaudPacer', () => {
  it('delivers every byte in order, never sooner than the line could', async () => {
    const chunks: Buffer[] = [];
    const arrivals: number[] = [];
    const pacer = new BaudPacer((c) => {
      chunks.push(c);
      arrivals.push(performance.now());
    }, { baudRate: 9600 });
    const data = Buffer.from(Array.from({ length: 96 }, (_, i) => i));
    const t0 = performance.now();
    await Promise.all([pacer.send(data.subarray(0, 40)), pacer.send(data.subarray(40))]);
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
    expect(chunks.length).toBeGreaterThan(1);
    // Lower bounds only: a real line cannot be faster; a busy machine may be slower.
    let delivered = 0;
    chunks.forEach((c, i) => {
      delivered += c.length;
      expect((arrivals[i] ?? 0) - t0).toBeGreaterThanOrEqual(wireTimeMs(delivered, 9600) - 1);
    });
    expect(pacer.queued).toBe(0);
  });

  it('holds a transmission back until startAt', async () => {
    const arrivals: number[] = [];
    const pacer = new BaudPacer(() => arrivals.push(performance.now()), { baudRate: 115200 });
    const startAt = performance.now() + 30;
    await pacer.send(Buffer.alloc(5), { startAt });
    expect(arrivals[0] ?? 0).toBeGreaterThanOrEqual(startAt);
  });

  it('clear() drops what is not yet sent and releases the sender', async () => {
    const chunks: Buffer[] = [];
    const pacer = new BaudPacer((c) => chunks.push(c), { baudRate: 9600 });
    const sent = pacer.send(Buffer.alloc(1000, 7));
    pacer.clear();
    await sent;
    expect(chunks.reduce((n, c) => n + c.length, 0)).toBeLessThan(1000);
    expect(pacer.queued).toBe(0);
  });

  it('refuses a baud rate that is not positive', () => {
    expect(() => new BaudPacer(() => undefined, { baudRate: 0 })).toThrow(/baudRate/);
  });
});
