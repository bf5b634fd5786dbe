import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * The kiosk's saved configuration, versioned and validated at load (STYLE.md §8). Values left
 * out take defaults that run the demo on one machine; environment variables override the file
 * so a hall technician can point one kiosk at another portal without editing JSON.
 */
export const KioskConfigSchema = z.object({
  version: z.literal(1),
  kioskId: z.string().regex(/^[A-Za-z0-9-]{1,32}$/),
  /** Marks this kiosk's fallback series (`A2-047`): unique per hall, 0-9. */
  kioskDigit: z.number().int().min(0).max(9),
  dataDir: z.string().min(1),
  portal: z.object({
    baseUrl: z.url(),
    token: z.string().min(8),
    /** Online numbering budget; past it the kiosk numbers locally (ARCHITECTURE.md §4). */
    numberBudgetMs: z.number().int().min(50).max(10_000).default(400),
    pushTimeoutMs: z.number().int().min(100).default(5_000),
  }),
  printer: z.object({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(1).max(65_535).default(9100),
    statusTimeoutMs: z.number().int().min(50).default(800),
    pollIntervalMs: z.number().int().min(200).default(5_000),
  }),
});
export type KioskConfig = z.infer<typeof KioskConfigSchema>;

export class KioskConfigError extends Error {
  readonly code = 'invalid-config';
  constructor(message: string) {
    super(message);
    this.name = 'KioskConfigError';
  }
}

function parsePrinterUrl(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  if (parsed.protocol !== 'tcp:') throw new KioskConfigError(`KIOSK_PRINTER must be tcp://host:port, got ${url}`);
  return { host: parsed.hostname, port: Number(parsed.port || 9100) };
}

export function loadKioskConfig(opts: { configPath?: string; dataDir: string; env?: NodeJS.ProcessEnv }): KioskConfig {
  const env = opts.env ?? process.env;
  let fromFile: Record<string, unknown> = {};
  if (opts.configPath && existsSync(opts.configPath)) {
    try {
      fromFile = z.record(z.string(), z.unknown()).parse(JSON.parse(readFileSync(opts.configPath, 'utf8')));
    } catch (err) {
      throw new KioskConfigError(`${opts.configPath}: not a JSON object (${(err as Error).message})`);
    }
  }
  const filePortal = z.record(z.string(), z.unknown()).catch({}).parse(fromFile.portal);
  const filePrinter = z.record(z.string(), z.unknown()).catch({}).parse(fromFile.printer);
  const printerFromEnv = env.KIOSK_PRINTER ? parsePrinterUrl(env.KIOSK_PRINTER) : {};
  const candidate = {
    version: 1,
    kioskId: 'kiosk-1',
    kioskDigit: 1,
    ...fromFile,
    dataDir: env.KIOSK_DATA_DIR ?? fromFile.dataDir ?? opts.dataDir,
    ...(env.KIOSK_ID ? { kioskId: env.KIOSK_ID } : {}),
    ...(env.KIOSK_DIGIT ? { kioskDigit: Number(env.KIOSK_DIGIT) } : {}),
    portal: {
      baseUrl: 'http://127.0.0.1:8080',
      token: 'demo-kiosk-token',
      ...filePortal,
      ...(env.KIOSK_PORTAL_URL ? { baseUrl: env.KIOSK_PORTAL_URL } : {}),
      ...(env.KIOSK_TOKEN ? { token: env.KIOSK_TOKEN } : {}),
    },
    printer: { ...filePrinter, ...printerFromEnv },
  };
  const result = KioskConfigSchema.safeParse(candidate);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new KioskConfigError(`kiosk config: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return { ...result.data, dataDir: path.resolve(result.data.dataDir) };
}
