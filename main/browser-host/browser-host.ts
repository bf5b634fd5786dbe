import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KioskBridgeTarget } from '../core/kiosk-dispatcher.js';
import { newBridgeToken } from './bridge-auth.js';
import { serveStatic } from './static-files.js';
import { createWsBridge } from './ws-bridge.js';

export interface BrowserHost {
  port: number;
  /** The URL to open, with the launch token in its hash (never sent to the server in a request line). */
  launchUrl: string;
  token: string;
  close(): Promise<void>;
}

/** Serves the renderer and the bridge on 127.0.0.1 only. */
export async function startBrowserHost(opts: { target: KioskBridgeTarget; rendererDir: string; port?: number }): Promise<BrowserHost> {
  const token = newBridgeToken();
  let port = 0;
  const bridge = createWsBridge(opts.target, { token, port: () => port });
  const server = createServer((req, res) => {
    void serveStatic(opts.rendererDir, port, req, res);
  });
  server.on('upgrade', (req, socket, head) => bridge.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    token,
    launchUrl: `http://127.0.0.1:${port}/#token=${token}`,
    async close() {
      bridge.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
