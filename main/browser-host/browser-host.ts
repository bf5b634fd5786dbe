import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BRIDGE_EXCHANGE_PATH, BRIDGE_LAUNCH_CODE_PARAM, BRIDGE_TOKEN_PARAM } from '../../common/contract/kiosk-api.js';
import { hostHeaderAllowed, MISDIRECTED_REQUEST } from '../../common/contract/local-host-header.js';
import type { KioskBridgeTarget } from '../core/kiosk-dispatcher.js';
import { newBridgeToken } from './bridge-auth.js';
import { handleCodeExchange } from './code-exchange.js';
import { LaunchCodes } from './launch-codes.js';
import { removeLaunchUrlFile, writeLaunchUrlFile } from './launch-url-file.js';
import { serveStatic } from './static-files.js';
import { createWsBridge, type WsBridgeLimits } from './ws-bridge.js';

export interface BrowserHostOptions {
  target: KioskBridgeTarget;
  rendererDir: string;
  port?: number;
  /** The kiosk's data folder: the operator's launch URL goes to `<dataDir>/launch-url` (0600). */
  dataDir?: string;
  limits?: Partial<WsBridgeLimits>;
  /** Told (without any secret) when the bridge drops a page that stopped reading, or a launch code comes twice. */
  onWarning?: (message: string) => void;
  /** For tests: the clock of the launch codes' one-minute life. */
  now?: () => number;
}

export interface BrowserHost {
  port: number;
  /**
   * The bridge token, for this process only: never print it, log it or put it on a command line.
   * The page gets it by trading a launch code (newLaunchUrl), or from the operator's file.
   */
  token: string;
  /**
   * A URL to start Chromium with: `http://127.0.0.1:PORT/#code=…`, a fresh one-time launch code
   * good for one exchange within a minute. Safe on a command line, where the token is not.
   */
  newLaunchUrl(): string;
  /** The file with the operator's URL (`#token=…`, reusable while the host runs); null without dataDir. */
  launchUrlFile: string | null;
  /** Open bridge connections right now. */
  connections(): number;
  close(): Promise<void>;
}

/**
 * Serves the renderer, the launch-code exchange and the bridge on 127.0.0.1 only, to requests
 * addressed to 127.0.0.1 or localhost on its port (DNS rebinding).
 */
export async function startBrowserHost(opts: BrowserHostOptions): Promise<BrowserHost> {
  const token = newBridgeToken();
  const codes = new LaunchCodes(opts.now);
  let port = 0;
  const bridge = createWsBridge(opts.target, { token, port: () => port, limits: opts.limits, onDrop: opts.onWarning });
  const server = createServer((req, res) => {
    if (!hostHeaderAllowed(req.headers.host, port)) {
      res.writeHead(MISDIRECTED_REQUEST, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' }).end('misdirected request');
      return;
    }
    if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname === BRIDGE_EXCHANGE_PATH) {
      void handleCodeExchange(req, res, { port, codes, token, onWarning: opts.onWarning });
      return;
    }
    void serveStatic(opts.rendererDir, port, req, res);
  });
  server.on('upgrade', (req, socket, head) => bridge.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const launchUrlFile = opts.dataDir === undefined ? null : writeLaunchUrlFile(opts.dataDir, `${origin}/#${BRIDGE_TOKEN_PARAM}=${token}`);
  return {
    port,
    token,
    newLaunchUrl: () => `${origin}/#${BRIDGE_LAUNCH_CODE_PARAM}=${codes.issue()}`,
    launchUrlFile,
    connections: () => bridge.connections(),
    async close() {
      if (launchUrlFile !== null) removeLaunchUrlFile(launchUrlFile);
      bridge.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
