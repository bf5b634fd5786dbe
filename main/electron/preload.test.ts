import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { compileFunction } from 'node:vm';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { kioskEventNames, kioskMethodNames } from '../../common/contract/kiosk-api.js';
import { createFakeElectron, fakeEvent, type FakeElectron } from './test-support/fake-electron.js';

const preloadFile = fileURLToPath(new URL('./preload.cts', import.meta.url));

type ExposedKiosk = Record<string, (...args: unknown[]) => unknown> & {
  on(event: string, listener: (payload: unknown) => void): () => void;
};

/**
 * Loads preload.cts the way Electron loads a sandboxed preload: compiled to CommonJS, run as a
 * function of (require, process, exports, module) whose require knows only 'electron'. A stray
 * import of anything else (a project file, a Node module) fails here as it would in Electron.
 */
async function loadPreload(fake: FakeElectron): Promise<ExposedKiosk> {
  const source = await readFile(preloadFile, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    fileName: preloadFile,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  const required: string[] = [];
  const sandboxRequire = (name: string): unknown => {
    required.push(name);
    if (name === 'electron') return fake.module;
    throw new Error(`module not found: ${name}`);
  };
  const exports = {};
  compileFunction(outputText, ['require', 'process', 'exports', 'module'], { filename: 'preload.cjs' })(
    sandboxRequire,
    {},
    exports,
    { exports },
  );
  expect(required).toEqual(['electron']);
  const kiosk = fake.contextBridge.exposed.get('kiosk');
  expect(kiosk).toBeDefined();
  return kiosk as ExposedKiosk;
}

/** A fake whose main side answers describe with the real contract names. */
function fakeWithContract(): FakeElectron {
  const fake = createFakeElectron();
  fake.ipcRenderer.answerSync = (channel) =>
    channel === 'kiosk:describe' ? { methods: [...kioskMethodNames], events: [...kioskEventNames] } : undefined;
  return fake;
}

describe('preload', () => {
  it('asks main for the names once, synchronously, and exposes exactly the methods plus on', async () => {
    const fake = fakeWithContract();
    const kiosk = await loadPreload(fake);
    expect(fake.ipcRenderer.syncSends).toEqual([{ channel: 'kiosk:describe', args: [] }]);
    expect(Object.keys(kiosk).sort()).toEqual([...kioskMethodNames, 'on'].sort());
    for (const key of Object.keys(kiosk)) expect(kiosk[key]).toBeTypeOf('function');
    expect([...fake.contextBridge.exposed.keys()]).toEqual(['kiosk']);
  });

  it('a method invokes kiosk:<name> with the request and resolves with the response', async () => {
    const fake = fakeWithContract();
    fake.ipcRenderer.answerInvoke = async () => ({ ok: true, response: { number: 'A023' } });
    const kiosk = await loadPreload(fake);
    const request = { serviceId: 'svc-1', requestId: '0190a0b0-0000-7000-8000-000000000001' };
    await expect(kiosk.takeTicket?.(request)).resolves.toEqual({ number: 'A023' });
    expect(fake.ipcRenderer.invocations).toEqual([{ channel: 'kiosk:takeTicket', args: [request] }]);
  });

  it('rejects with { code, message } on { ok: false }', async () => {
    const fake = fakeWithContract();
    fake.ipcRenderer.answerInvoke = async () => ({ ok: false, error: { code: 'printer-unavailable', message: 'paper end' } });
    const kiosk = await loadPreload(fake);
    const failure = await Promise.resolve(kiosk.getStatus?.({})).then(
      () => expect.unreachable('should reject'),
      (err: unknown) => err,
    );
    // A plain object, because the contextBridge would strip `code` from an Error.
    expect(failure).toEqual({ code: 'printer-unavailable', message: 'paper end' });
  });

  it('rejects with an internal error on a malformed reply', async () => {
    const fake = fakeWithContract();
    fake.ipcRenderer.answerInvoke = async () => undefined;
    const kiosk = await loadPreload(fake);
    await expect(kiosk.getStatus?.({})).rejects.toMatchObject({ code: 'internal' });
  });

  it('on: passes only the payload of the named event, and unsubscribes', async () => {
    const fake = fakeWithContract();
    const kiosk = await loadPreload(fake);
    const received: unknown[][] = [];
    const off = kiosk.on('printerStatus', (...args: unknown[]) => received.push(args));
    const ipcEvent = fakeEvent({ sender: fake.ipcRenderer, senderId: 0 });
    fake.ipcRenderer.emit('kiosk:event', ipcEvent, { event: 'printerStatus', payload: { state: 'paper-end' } });
    fake.ipcRenderer.emit('kiosk:event', ipcEvent, { event: 'connectivity', payload: { state: 'offline' } });
    fake.ipcRenderer.emit('kiosk:event', ipcEvent, null);
    expect(received).toEqual([[{ state: 'paper-end' }]]);
    off();
    fake.ipcRenderer.emit('kiosk:event', ipcEvent, { event: 'printerStatus', payload: { state: 'ok' } });
    expect(received).toHaveLength(1);
    expect(fake.ipcRenderer.listenerCount('kiosk:event')).toBe(0);
  });

  it('on: an unknown event name or a non-function listener throws', async () => {
    const kiosk = await loadPreload(fakeWithContract());
    expect(() => kiosk.on('ticketDeleted', () => undefined)).toThrow(/unknown kiosk event/);
    expect(() => kiosk.on('__proto__', () => undefined)).toThrow(/unknown kiosk event/);
    expect(() => kiosk.on('printerStatus', 'alert(1)' as never)).toThrow(TypeError);
  });

  it('drops names that fail the pattern, and never lets a method shadow on', async () => {
    const fake = createFakeElectron();
    fake.ipcRenderer.answerSync = () => ({
      methods: ['getStatus', '__proto__', 'constructor.prototype', 'x'.repeat(41), 'on', 42, 'take-ticket'],
      events: ['printerStatus', 'bad event'],
    });
    const kiosk = await loadPreload(fake);
    expect(Object.keys(kiosk).sort()).toEqual(['getStatus', 'on']);
    expect(() => kiosk.on('bad event', () => undefined)).toThrow(/unknown kiosk event/);
  });

  it('exposes only on when main refuses to describe the contract (foreign page)', async () => {
    const fake = createFakeElectron();
    fake.ipcRenderer.answerSync = () => ({ methods: [], events: [] });
    const kiosk = await loadPreload(fake);
    expect(Object.keys(kiosk)).toEqual(['on']);
  });
});
