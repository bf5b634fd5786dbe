/**
 * A hand-written stand-in for the `electron` module: the Electron binary cannot run where this
 * project is built and tested. Each fake records what the shell did to it (handlers registered,
 * messages sent, windows created) and lets a test play Electron's part (fire an event, call a
 * registered handler). Only what the shell uses is faked; anything else is absent on purpose,
 * so a new use of Electron fails loudly in the tests instead of passing silently.
 */
import { EventEmitter } from 'node:events';

type Listener = (...args: never[]) => unknown;
type AnyHandler = (...args: never[]) => unknown;

/** An Electron `Event`: the fields of the event plus `preventDefault`. */
export type FakeEvent<T extends object = object> = T & { preventDefault(): void; readonly defaultPrevented: boolean };

export function fakeEvent<T extends object>(fields: T = {} as T): FakeEvent<T> {
  let prevented = false;
  return Object.defineProperties({ ...fields }, {
    preventDefault: {
      value: (): void => {
        prevented = true;
      },
    },
    defaultPrevented: { get: (): boolean => prevented },
  }) as FakeEvent<T>;
}

export interface FakeFrame {
  url: string;
}

/** Listeners registered on an emitter, by event name, so a test can call them directly. */
function listenersOf(emitter: EventEmitter, name: string): Listener[] {
  return emitter.listeners(name) as Listener[];
}

export class FakeWebContents extends EventEmitter {
  private static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  mainFrame: FakeFrame = { url: 'app://kiosk/index.html' };
  readonly sent: Array<{ channel: string; args: unknown[] }> = [];
  readonly loadedUrls: string[] = [];
  windowOpenHandler: AnyHandler | null = null;
  reloads = 0;
  private destroyed = false;

  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.sent.push({ channel, args });
  }

  /** The URL of the document in the main frame. */
  getURL(): string {
    return this.mainFrame.url;
  }

  setWindowOpenHandler(handler: AnyHandler): void {
    this.windowOpenHandler = handler;
  }

  loadURL(url: string): Promise<void> {
    this.loadedUrls.push(url);
    return Promise.resolve();
  }

  reload(): void {
    this.reloads++;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  /** Plays Electron destroying the webContents. */
  destroy(): void {
    this.destroyed = true;
    this.emit('destroyed');
  }

  handlers(name: string): Listener[] {
    return listenersOf(this, name);
  }
}

/** An Electron `DownloadItem`: a test sets what is downloaded and plays its end with finish(). */
export class FakeDownloadItem extends EventEmitter {
  savePath = '';

  constructor(
    private readonly url: string,
    private readonly filename: string,
    private readonly totalBytes = 1024,
  ) {
    super();
  }

  getURL(): string {
    return this.url;
  }

  getFilename(): string {
    return this.filename;
  }

  getTotalBytes(): number {
    return this.totalBytes;
  }

  /** Electron shows no save dialog once a save path is set in 'will-download'. */
  setSavePath(savePath: string): void {
    this.savePath = savePath;
  }

  getSavePath(): string {
    return this.savePath;
  }

  /** Plays the download ending. */
  finish(state: 'completed' | 'cancelled' | 'interrupted'): void {
    this.emit('done', fakeEvent(), state);
  }
}

export class FakeSession extends EventEmitter {
  permissionRequestHandler: AnyHandler | null = null;
  permissionCheckHandler: AnyHandler | null = null;

  setPermissionRequestHandler(handler: AnyHandler | null): void {
    this.permissionRequestHandler = handler;
  }

  setPermissionCheckHandler(handler: AnyHandler | null): void {
    this.permissionCheckHandler = handler;
  }

  handlers(name: string): Listener[] {
    return listenersOf(this, name);
  }
}

export class FakeApp extends EventEmitter {
  /** What requestSingleInstanceLock answers. */
  singleInstanceLock = true;
  lockRequests = 0;
  quitCalls = 0;
  relaunchCalls = 0;
  readonly exitCodes: number[] = [];
  /** True once a quit got past 'before-quit' without being prevented. */
  quitted = false;
  readonly paths: Record<string, string> = { userData: '/fake/user-data' };
  appPath = '/fake/app';
  private ready = false;
  private resolveReady: () => void = () => undefined;
  private readonly readyPromise = new Promise<void>((resolve) => {
    this.resolveReady = resolve;
  });

  requestSingleInstanceLock(): boolean {
    this.lockRequests++;
    return this.singleInstanceLock;
  }

  whenReady(): Promise<void> {
    return this.readyPromise;
  }

  isReady(): boolean {
    return this.ready;
  }

  /** Plays Electron finishing its start-up. */
  becomeReady(): void {
    this.ready = true;
    this.emit('ready');
    this.resolveReady();
  }

  /** Like Electron: 'before-quit' first, and a listener may cancel the quit. */
  quit(): void {
    this.quitCalls++;
    const event = fakeEvent();
    this.emit('before-quit', event);
    if (!event.defaultPrevented) this.quitted = true;
  }

  exit(code = 0): void {
    this.exitCodes.push(code);
  }

  relaunch(): void {
    this.relaunchCalls++;
  }

  getPath(name: string): string {
    const found = this.paths[name];
    if (found === undefined) throw new Error(`fake app: no path '${name}'`);
    return found;
  }

  getAppPath(): string {
    return this.appPath;
  }

  handlers(name: string): Listener[] {
    return listenersOf(this, name);
  }
}

export class FakeIpcMain extends EventEmitter {
  readonly invokeHandlers = new Map<string, AnyHandler>();

  handle(channel: string, handler: AnyHandler): void {
    // Electron refuses a second handler for one channel.
    if (this.invokeHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.invokeHandlers.set(channel, handler);
  }

  removeHandler(channel: string): void {
    this.invokeHandlers.delete(channel);
  }

  /** Plays a renderer's `ipcRenderer.invoke(channel, ...args)` coming from `senderFrame`. */
  async invoke(channel: string, senderFrame: FakeFrame | null, ...args: unknown[]): Promise<unknown> {
    const handler = this.invokeHandlers.get(channel) as ((...a: unknown[]) => unknown) | undefined;
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return await handler(fakeEvent({ senderFrame }), ...args);
  }

  /** Plays a renderer's `ipcRenderer.sendSync(channel, ...args)`: returns what main set as returnValue. */
  sendSync(channel: string, senderFrame: FakeFrame | null, ...args: unknown[]): unknown {
    const event = fakeEvent({ senderFrame, returnValue: undefined as unknown });
    this.emit(channel, event, ...args);
    return event.returnValue;
  }
}

export class FakeIpcRenderer extends EventEmitter {
  readonly invocations: Array<{ channel: string; args: unknown[] }> = [];
  readonly syncSends: Array<{ channel: string; args: unknown[] }> = [];
  /** Plays the main process for sendSync. */
  answerSync: (channel: string, args: unknown[]) => unknown = () => undefined;
  /** Plays the main process for invoke. */
  answerInvoke: (channel: string, args: unknown[]) => Promise<unknown> = () => Promise.resolve(undefined);

  sendSync(channel: string, ...args: unknown[]): unknown {
    this.syncSends.push({ channel, args });
    return this.answerSync(channel, args);
  }

  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invocations.push({ channel, args });
    return this.answerInvoke(channel, args);
  }
}

export class FakeContextBridge {
  readonly exposed = new Map<string, unknown>();

  exposeInMainWorld(key: string, api: unknown): void {
    if (this.exposed.has(key)) throw new Error(`Cannot bind an API on top of an existing property on the window object: ${key}`);
    this.exposed.set(key, api);
  }
}

export class FakeProtocol {
  readonly privilegedSchemes: unknown[] = [];
  readonly schemeHandlers = new Map<string, AnyHandler>();
  /** Whether registerSchemesAsPrivileged was ever called after 'ready' (Electron ignores that). */
  registeredTooLate = false;

  constructor(private readonly app: FakeApp) {}

  registerSchemesAsPrivileged(schemes: unknown[]): void {
    if (this.app.isReady()) this.registeredTooLate = true;
    this.privilegedSchemes.push(...schemes);
  }

  handle(scheme: string, handler: AnyHandler): void {
    if (this.schemeHandlers.has(scheme)) throw new Error(`scheme ${scheme} is already handled`);
    this.schemeHandlers.set(scheme, handler);
  }

  unhandle(scheme: string): void {
    this.schemeHandlers.delete(scheme);
  }
}

export interface FakeElectron {
  app: FakeApp;
  session: { defaultSession: FakeSession };
  ipcMain: FakeIpcMain;
  ipcRenderer: FakeIpcRenderer;
  contextBridge: FakeContextBridge;
  protocol: FakeProtocol;
  /** Every BrowserWindow the shell constructed, in order. */
  windows: FakeBrowserWindow[];
  /** `'default'` until the shell replaces or removes the application menu. */
  menu: { applicationMenu: unknown };
  /** What `import ... from 'electron'` returns: hand this to vi.mock / vi.doMock. */
  module: Record<string, unknown>;
}

export interface FakeBrowserWindow extends EventEmitter {
  readonly options: Record<string, unknown>;
  readonly webContents: FakeWebContents;
  focusCalls: number;
  restoreCalls: number;
  minimized: boolean;
  loadURL(url: string): Promise<void>;
  focus(): void;
  restore(): void;
  isMinimized(): boolean;
  isDestroyed(): boolean;
}

/** A fresh, independent fake `electron` module. */
export function createFakeElectron(): FakeElectron {
  const app = new FakeApp();
  const windows: FakeBrowserWindow[] = [];
  const menu = { applicationMenu: 'default' as unknown };

  class BrowserWindow extends EventEmitter implements FakeBrowserWindow {
    readonly webContents = new FakeWebContents();
    focusCalls = 0;
    restoreCalls = 0;
    minimized = false;

    constructor(readonly options: Record<string, unknown> = {}) {
      super();
      windows.push(this);
      app.emit('web-contents-created', fakeEvent(), this.webContents);
    }

    loadURL(url: string): Promise<void> {
      return this.webContents.loadURL(url);
    }

    focus(): void {
      this.focusCalls++;
    }

    restore(): void {
      this.restoreCalls++;
      this.minimized = false;
    }

    isMinimized(): boolean {
      return this.minimized;
    }

    isDestroyed(): boolean {
      return this.webContents.isDestroyed();
    }
  }

  const fake: Omit<FakeElectron, 'module'> = {
    app,
    session: { defaultSession: new FakeSession() },
    ipcMain: new FakeIpcMain(),
    ipcRenderer: new FakeIpcRenderer(),
    contextBridge: new FakeContextBridge(),
    protocol: new FakeProtocol(app),
    windows,
    menu,
  };
  const Menu = {
    setApplicationMenu(value: unknown): void {
      menu.applicationMenu = value;
    },
  };
  const module: Record<string, unknown> = {
    app,
    BrowserWindow,
    Menu,
    session: fake.session,
    ipcMain: fake.ipcMain,
    ipcRenderer: fake.ipcRenderer,
    contextBridge: fake.contextBridge,
    protocol: fake.protocol,
  };
  module.default = { ...module };
  return { ...fake, module };
}

/** The fakes are stand-ins, not Electron's classes: say so once, where a test hands one over. */
export function asElectron<T>(fake: unknown): T {
  return fake as T;
}
