import http from 'node:http';
import QRCode from 'qrcode';
import { hostHeaderAllowed, MISDIRECTED_REQUEST } from '../../../common/contract/local-host-header.js';
import type { DecodedRaster } from './escpos-decoder.js';
import type { PrintedJob, PrinterSimulator } from './printer-simulator.js';

export interface ReceiptsPage {
  port: number;
  close(): Promise<void>;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A raster line drawn as the printer would: one SVG path of dots (inline: the CSP allows no images). */
function rasterSvg(raster: DecodedRaster): string {
  const rowBytes = Math.ceil(raster.widthDots / 8);
  let d = '';
  for (let y = 0; y < raster.heightDots; y++) {
    for (let x = 0; x < raster.widthDots; x++) {
      if (((raster.bits[y * rowBytes + (x >> 3)] ?? 0) >> (7 - (x & 7))) & 1) d += `M${x} ${y}h1v1h-1z`;
    }
  }
  return `<svg class="raster" viewBox="0 0 ${raster.widthDots} ${raster.heightDots}" width="${raster.widthDots}" height="${raster.heightDots}"><path d="${d}"/></svg>`;
}

/** One printed line: QR lines become the symbol itself, raster lines their dots, everything else escaped text. */
async function lineHtml(line: string, raster?: DecodedRaster): Promise<string> {
  if (raster && /^\[raster \d+x\d+\]$/.test(line)) return `<div class="line">${rasterSvg(raster)}</div>`;
  const qr = /^\[QR:(.*)\]$/s.exec(line);
  if (qr?.[1] !== undefined) {
    const svg = await QRCode.toString(qr[1], { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
    return `<div class="qr">${svg}<div class="qrdata">${escapeHtml(qr[1])}</div></div>`;
  }
  return `<div class="line">${escapeHtml(line) || '&nbsp;'}</div>`;
}

async function jobHtml(job: PrintedJob): Promise<string> {
  let rasterIndex = 0;
  const lines = await Promise.all(
    job.receipt.lines.map((line) => lineHtml(line, /^\[raster \d+x\d+\]$/.test(line) ? job.receipt.rasters[rasterIndex++] : undefined)),
  );
  const cut = job.receipt.cut ? '<div class="cut">✂ cut</div>' : '<div class="cut">(no cut)</div>';
  return `<section class="paper"><header>#${job.id} · ${escapeHtml(job.receivedAt)} · ${job.bytes.length} bytes</header>${lines.join('')}${cut}</section>`;
}

async function pageHtml(jobs: PrintedJob[]): Promise<string> {
  const papers = await Promise.all([...jobs].reverse().map(jobHtml));
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta http-equiv="refresh" content="2">
<title>Printed receipts (${jobs.length})</title>
<style>
body { background: #555; font-family: ui-monospace, "Noto Sans Mono CJK SC", "Sarasa Mono SC", monospace; margin: 1rem; }
h1 { color: #eee; font-size: 1rem; font-weight: normal; }
.paper { background: #fffdf6; width: 26rem; margin: 0 0 1.5rem; padding: 0.8rem 1rem; box-shadow: 0 2px 6px #0008; text-align: center; white-space: pre-wrap; }
.paper header { color: #888; font-size: 0.75rem; border-bottom: 1px dashed #bbb; margin-bottom: 0.6rem; }
.qr svg { width: 9rem; height: 9rem; }
.qrdata { color: #888; font-size: 0.7rem; word-break: break-all; }
.cut { color: #aaa; font-size: 0.75rem; border-top: 1px dashed #bbb; margin-top: 0.6rem; }
</style></head>
<body><h1>Simulated printer: ${jobs.length} job(s), newest first. Refreshes every 2 s.</h1>
${papers.join('\n') || '<p style="color:#eee">Nothing printed yet.</p>'}
</body></html>`;
}

function jobsJson(jobs: PrintedJob[]): string {
  return JSON.stringify(
    jobs.map((j) => ({
      id: j.id,
      receivedAt: j.receivedAt,
      byteLength: j.bytes.length,
      bytesBase64: j.bytes.toString('base64'),
      lines: j.receipt.lines,
      text: j.receipt.text,
      qrCodes: j.receipt.qrCodes,
      cut: j.receipt.cut,
    })),
  );
}

/**
 * Shows the paper a visitor would hold: every printed job, newest first (GET /), and the same as
 * JSON (GET /jobs.json). Loopback only by default; read-only.
 */
export async function startReceiptsPage(sim: PrinterSimulator, opts: { port: number; host?: string }): Promise<ReceiptsPage> {
  // Requests must name this server (DNS rebinding): a loopback name, or the address it was bound
  // to on purpose (`--host 192.168.1.5`); a wildcard bind names nothing in particular.
  const boundName = opts.host && !['0.0.0.0', '::', '127.0.0.1'].includes(opts.host) ? [opts.host] : [];
  let port = opts.port;
  const server = http.createServer((req, res) => {
    const send = (status: number, type: string, body: string): void => {
      res.writeHead(status, {
        'content-type': type,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      });
      res.end(body);
    };
    if (!hostHeaderAllowed(req.headers.host, port, boundName)) return send(MISDIRECTED_REQUEST, 'text/plain; charset=utf-8', 'misdirected request');
    if (req.method !== 'GET') return send(405, 'text/plain; charset=utf-8', 'method not allowed');
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/jobs.json') return send(200, 'application/json; charset=utf-8', jobsJson(sim.jobs()));
    if (url.pathname !== '/') return send(404, 'text/plain; charset=utf-8', 'not found');
    pageHtml(sim.jobs()).then(
      (html) => send(200, 'text/html; charset=utf-8', html),
      (err: unknown) => send(500, 'text/plain; charset=utf-8', `cannot render: ${err instanceof Error ? err.message : String(err)}`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
