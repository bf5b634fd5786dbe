import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PortalClient, PortalClientError, PortalFailure } from '../../offline-queue/sync/portal-client.js';
import { testCatalog, waitFor } from '../../offline-queue/testing/fake-portal.js';
import { makeTempDir } from '../../offline-queue/testing/temp-dir.js';
import { KioskConfigError, KioskConfigSchema } from './kiosk-config.js';
import { createPortalTransport, type PortalTransport } from './portal-transport.js';
import { startKioskRuntime } from './start-kiosk-runtime.js';

const tmp = makeTempDir('portal-tls');
const TOKEN = 'kiosk-tls-token';
let server: https.Server;
let baseUrl = '';
const transports: PortalTransport[] = [];

function openssl(args: string[]): void {
  try {
    execFileSync('openssl', args, { cwd: tmp.dir, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error('openssl is not installed: the TLS test needs it to make a hall CA (apt-get install openssl)', { cause: err });
    throw new Error(`openssl ${args[0]} failed: ${String((err as { stderr?: Buffer }).stderr ?? err)}`, { cause: err });
  }
}

/** A CA of its own, as a hall would run, with `name`.pem (certificate) and `name`.key. */
function makeCa(name: string): void {
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-keyout', `${name}.key`, '-out', `${name}.pem`]);
}

beforeAll(async () => {
  makeCa('hall-ca');
  makeCa('other-ca');
  // The portal's certificate for 127.0.0.1, signed by the hall CA.
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', 'portal.key', '-out', 'portal.csr']);
  writeFileSync(path.join(tmp.dir, 'portal.ext'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  openssl(['x509', '-req', '-in', 'portal.csr', '-CA', 'hall-ca.pem', '-CAkey', 'hall-ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'portal.ext', '-out', 'portal.pem']);

  server = https.createServer({ key: readFileSync(path.join(tmp.dir, 'portal.key')), cert: readFileSync(path.join(tmp.dir, 'portal.pem')) }, (req, res) => {
    const ok = req.url === '/v1/kiosk/catalog' && req.headers.authorization === `Bearer ${TOKEN}`;
    res.writeHead(ok ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(ok ? { ...testCatalog, serverTime: new Date().toISOString() } : { code: 'not-found', message: 'no such route' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await Promise.all(transports.map((t) => t.close()));
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  tmp.remove();
});

function clientWith(caFile: string | null): PortalClient {
  const transport = createPortalTransport({ caFile });
  transports.push(transport);
  return new PortalClient({ baseUrl, token: TOKEN, fetchImpl: transport.fetchImpl });
}

async function failureOf(p: Promise<unknown>): Promise<PortalClientError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(PortalClientError);
    return err as PortalClientError;
  }
  throw new Error('expected the call to fail');
}

describe('the portal over https with a hall CA', () => {
  it('talks to a portal whose certificate the hall CA signed', async () => {
    const catalog = await clientWith(path.join(tmp.dir, 'hall-ca.pem')).catalog(5_000);
    expect(catalog.hall).toEqual(testCatalog.hall);
  });

  it('does not talk to it without the CA (the system store does not know it), nor with another CA', async () => {
    for (const caFile of [null, path.join(tmp.dir, 'other-ca.pem')]) {
      const err = await failureOf(clientWith(caFile).catalog(5_000));
      expect(err.failure, String(caFile)).toBe(PortalFailure.Unreachable);
      expect(err.message).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|certificate/i);
    }
  });

  it('refuses a CA file that is missing or holds no certificate, as a config error', () => {
    expect(() => createPortalTransport({ caFile: path.join(tmp.dir, 'absent.pem') })).toThrow(KioskConfigError);
    expect(() => createPortalTransport({ caFile: path.join(tmp.dir, 'hall-ca.key') })).toThrow(/no PEM certificate/);
  });

  it('is what the kiosk runtime uses: it pulls its catalog from the https portal with portal.caFile', async () => {
    const config = (caFile: string) =>
      KioskConfigSchema.parse({
        version: 1,
        kioskId: 'kiosk-1',
        kioskDigit: 1,
        dataDir: path.join(tmp.dir, 'kiosk'),
        demoMode: true,
        portal: { baseUrl, token: TOKEN, caFile },
        printer: { host: '127.0.0.1', port: 9, pollIntervalMs: 60_000 },
      });
    await expect(startKioskRuntime(config(path.join(tmp.dir, 'absent.pem')))).rejects.toBeInstanceOf(KioskConfigError);
    const runtime = await startKioskRuntime(config(path.join(tmp.dir, 'hall-ca.pem')), { catalogWaitMs: 5_000 });
    try {
      await waitFor(() => runtime.store.loadCatalog() !== null, 'the catalog over https');
      expect(runtime.store.loadCatalog()?.hall).toEqual(testCatalog.hall);
    } finally {
      await runtime.close();
    }
  });
});
