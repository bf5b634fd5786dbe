import type { IncomingMessage, ServerResponse } from 'node:http';
import { KioskErrorCode, type KioskErrorPayload } from '../../common/contract/errors.js';
import { LaunchCodeExchangeRequest, type LaunchCodeExchangeResponse } from '../../common/contract/kiosk-api.js';
import { originAllowed } from './bridge-auth.js';
import { LaunchCodeCheck, type LaunchCodes } from './launch-codes.js';

/** `{"code":"<64 hex>"}` is 75 bytes; anything much larger is not a launch code. */
const MAX_BODY_BYTES = 1024;

function reply(res: ServerResponse, status: number, body: LaunchCodeExchangeResponse | KioskErrorPayload): void {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    // The answer carries the token: no cache may keep it.
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(JSON.stringify(body));
}

function refuse(res: ServerResponse, status: number, code: KioskErrorCode, message: string): void {
  reply(res, status, { code, message });
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(null);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * POST BRIDGE_EXCHANGE_PATH: the kiosk page trades the one-time launch code from its URL for the
 * bridge token. Only from this host's own origin (browsers send Origin on every POST) and only as
 * JSON, which a foreign page cannot send without a CORS preflight that nothing here answers.
 */
export async function handleCodeExchange(
  req: IncomingMessage,
  res: ServerResponse,
  opts: { port: number; codes: LaunchCodes; token: string; onWarning?: (message: string) => void },
): Promise<void> {
  if (req.method !== 'POST') {
    res.writeHead(405, { Allow: 'POST' }).end();
    return;
  }
  if (!originAllowed(req.headers.origin, opts.port)) return refuse(res, 403, KioskErrorCode.Unauthorized, 'foreign origin');
  if (!/^application\/json(\s*;|$)/i.test(req.headers['content-type'] ?? '')) {
    return refuse(res, 415, KioskErrorCode.BadRequest, 'expected application/json');
  }
  let raw: string | null;
  try {
    raw = await readBody(req);
  } catch {
    return;
  }
  if (raw === null) return refuse(res, 413, KioskErrorCode.BadRequest, 'body too large');
  let parsed: ReturnType<typeof LaunchCodeExchangeRequest.safeParse>;
  try {
    parsed = LaunchCodeExchangeRequest.safeParse(JSON.parse(raw));
  } catch {
    return refuse(res, 400, KioskErrorCode.BadRequest, 'body is not JSON');
  }
  if (!parsed.success) return refuse(res, 400, KioskErrorCode.BadRequest, 'expected {"code": "<launch code>"}');
  const check = opts.codes.redeem(parsed.data.code);
  if (check !== LaunchCodeCheck.Accepted) {
    if (check === LaunchCodeCheck.Spent) {
      // Either a reload that kept its URL (harmless), or another local process read the code
      // from Chromium's command line and traded it first: then the screen shows no services.
      opts.onWarning?.('a launch code was presented a second time; if the kiosk screen did not start, restart the kiosk');
    }
    return refuse(res, 401, KioskErrorCode.Unauthorized, 'launch code unknown, already used or expired');
  }
  reply(res, 200, { token: opts.token });
}
