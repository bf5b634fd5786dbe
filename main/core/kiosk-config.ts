import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { isLoopbackHost } from './loopback-host.js';
import { DEMO_PIN_HASH, PinHash } from './technician-pin.js';

const SerialPath = z.string().min(1).max(200);
const BaudRate = z.number().int().min(1_200).max(921_600);

/**
 * The kiosk's saved configuration, versioned and validated at load. Values left
 * out take defaults that run the demo on one machine; environment variables override the file
 * so a hall technician can point one kiosk at another portal without editing JSON.
 */
export const KioskConfigSchema = z.object({
  version: z.literal(1),
  kioskId: z.string().regex(/^[A-Za-z0-9-]{1,32}$/),
  /** Marks this kiosk's fallback series (`A2-047`): unique per hall, 0-9. */
  kioskDigit: z.number().int().min(0).max(9),
  dataDir: z.string().min(1),
  /**
   * Demo credentials (the demo kiosk token, the demo technician PIN) are refused unless this is
   * set: `npm start`, `--demo` or `KIOSK_DEMO=1`. A hall kiosk left on them would be open to anyone
   * who read the README.
   */
  demoMode: z.boolean().default(false),
  portal: z
    .object({
      baseUrl: z.url({ protocol: /^https?$/ }),
      token: z.string().min(8),
      /** Online numbering budget; past it the kiosk numbers locally (docs/architecture.md §4). */
      numberBudgetMs: z.number().int().min(50).max(10_000).default(400),
      pushTimeoutMs: z.number().int().min(100).default(5_000),
      /**
       * How long a visitor waits for the portal to list their cases or their tickets to rate
       * before the kiosk shows what it has (the cached cases; a scanned ticket as is).
       */
      lookupBudgetMs: z.number().int().min(100).max(10_000).default(1_500),
      /**
       * PEM file of the hall's CA: the portal's certificate must chain to it (it replaces the
       * system's trust store for this one connection). Null: the system's store.
       */
      caFile: z.string().min(1).nullable().default(null),
    })
    .superRefine((portal, ctx) => {
      // Already reported by z.url() when it does not parse.
      if (!URL.canParse(portal.baseUrl)) return;
      const url = new URL(portal.baseUrl);
      // The token and every ticket cross this link: in clear text only when they never leave the machine.
      if (url.protocol !== 'https:' && !isLoopbackHost(url.hostname)) {
        ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: `a portal on another machine needs https: (got ${url.origin})` });
      }
      if (portal.caFile !== null && url.protocol !== 'https:') {
        ctx.addIssue({ code: 'custom', path: ['caFile'], message: 'a CA file needs an https: portal.baseUrl' });
      }
    }),
  printer: z.object({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(1).max(65_535).default(9100),
    /** A serial receipt printer instead of the network one (host/port are then unused). */
    serialPath: SerialPath.nullable().default(null),
    baudRate: BaudRate.default(9600),
    statusTimeoutMs: z.number().int().min(50).default(800),
    pollIntervalMs: z.number().int().min(200).default(5_000),
  }),
  sync: z
    .object({
      /** Numbers per leased band; a new band is leased when fewer than half are left (docs/architecture.md §4). */
      bandSize: z.number().int().min(5).max(200).default(50),
      /** How often the kiosk pulls catalog, bands and appointments while the portal answers. */
      pullIntervalMs: z.number().int().min(1_000).max(3_600_000).default(30_000),
      /**
       * A measured portal clock offset further than this from the accepted one is held, not used
       * to pick the business day, until a technician confirms it (a wrong portal clock, or a
       * spoofed answer, must not renumber the hall's day). A jump of the kiosk's own clock while
       * it runs is told apart by its monotonic clock and followed at once.
       */
      maxClockJumpMs: z.number().int().min(5_000).max(86_400_000).default(300_000),
    })
    .prefault({}),
  /** The resident ID card reader (SAM, serial); null: none, the kiosk works without. */
  idCardReader: z
    .object({
      path: SerialPath,
      baudRate: BaudRate.default(115_200),
      commandTimeoutMs: z.number().int().min(100).max(10_000).default(1_000),
    })
    .nullable()
    .default(null),
  /** A serial QR scanner; null: none (a keyboard-wedge scanner needs no configuration). */
  scanner: z
    .object({
      path: SerialPath,
      baudRate: BaudRate.default(9_600),
      /** Ends a code from a scanner set to send no suffix; null: a CR/LF suffix is required. */
      interByteTimeoutMs: z.number().int().min(5).max(2_000).nullable().default(50),
    })
    .nullable()
    .default(null),
  visitor: z
    .object({
      /** The card data is wiped after this long without activity (docs/architecture.md §7). */
      idleTimeoutMs: z.number().int().min(5_000).max(600_000).default(60_000),
      /** Age from which the card earns elderly priority, on the hall's business day. */
      elderlyAge: z.number().int().min(50).max(100).default(60),
    })
    .prefault({}),
  technician: z
    .object({
      /** scrypt hash of the PIN (`npx tsx scripts/hash-pin.ts`); the default is the demo PIN 135790. */
      pinHash: PinHash.default(DEMO_PIN_HASH),
      /** Wrong PINs in a row before the lockout. */
      maxFailures: z.number().int().min(1).max(20).default(5),
      lockoutMs: z.number().int().min(10_000).max(86_400_000).default(300_000),
      sessionMs: z.number().int().min(60_000).max(3_600_000).default(600_000),
      /** How long a reader or scanner self-test waits; below the bridge's 30 s reply timeout. */
      selfTestTimeoutMs: z.number().int().min(1_000).max(25_000).default(20_000),
    })
    .prefault({}),
  retention: z
    .object({
      /** Synced tickets lose their citizen HMAC after this many days. */
      personalDataDays: z.number().int().min(1).max(365).default(7),
      /** Synced tickets, print jobs and quarantined events are deleted after this many days. */
      keepDays: z.number().int().min(1).max(3_650).default(30),
    })
    .prefault({})
    .refine((r) => r.keepDays >= r.personalDataDays, { message: 'keepDays must be at least personalDataDays' }),
});
export type KioskConfig = z.infer<typeof KioskConfigSchema>;

export class KioskConfigError extends Error {
  readonly code = 'invalid-config';
  constructor(message: string) {
    super(message);
    this.name = 'KioskConfigError';
  }
}

function parsePrinterUrl(url: string): { host: string; port: number; serialPath: null } | { serialPath: string } {
  if (url.startsWith('serial:')) return { serialPath: url.slice('serial:'.length) };
  const parsed = new URL(url);
  if (parsed.protocol !== 'tcp:') throw new KioskConfigError(`KIOSK_PRINTER must be tcp://host:port or serial:/dev/ttyX, got ${url}`);
  return { host: parsed.hostname, port: Number(parsed.port || 9100), serialPath: null };
}

/** A device section from the file, with the port path from the environment when set. */
function deviceSection(fromFile: unknown, envPath: string | undefined): unknown {
  const file = z.record(z.string(), z.unknown()).nullable().catch(null).parse(fromFile ?? null);
  if (envPath === undefined) return file;
  if (envPath === '' || envPath === 'none') return null;
  return { ...(file ?? {}), path: envPath };
}

/** `KIOSK_DEMO`: 1 or 0; anything else is a mistake worth refusing, not a silent "off". */
function demoFromEnv(value: string | undefined): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === '1') return true;
  if (value === '0') return false;
  throw new KioskConfigError(`KIOSK_DEMO must be 1 or 0, got ${value}`);
}

export interface LoadKioskConfigOptions {
  configPath?: string;
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  /** The shell's own switch (`--demo`): demo mode whatever the file and the environment say. */
  demoMode?: boolean;
}

export function loadKioskConfig(opts: LoadKioskConfigOptions): KioskConfig {
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
  const fileSync = z.record(z.string(), z.unknown()).catch({}).parse(fromFile.sync);
  const printerFromEnv = env.KIOSK_PRINTER ? parsePrinterUrl(env.KIOSK_PRINTER) : {};
  const demoMode = opts.demoMode === true ? true : demoFromEnv(env.KIOSK_DEMO);
  const candidate = {
    version: 1,
    kioskId: 'kiosk-1',
    kioskDigit: 1,
    ...fromFile,
    dataDir: env.KIOSK_DATA_DIR ?? fromFile.dataDir ?? opts.dataDir,
    ...(env.KIOSK_ID ? { kioskId: env.KIOSK_ID } : {}),
    ...(env.KIOSK_DIGIT ? { kioskDigit: Number(env.KIOSK_DIGIT) } : {}),
    ...(demoMode === undefined ? {} : { demoMode }),
    portal: {
      baseUrl: 'http://127.0.0.1:8080',
      token: 'demo-kiosk-token',
      ...filePortal,
      ...(env.KIOSK_PORTAL_URL ? { baseUrl: env.KIOSK_PORTAL_URL } : {}),
      ...(env.KIOSK_TOKEN ? { token: env.KIOSK_TOKEN } : {}),
      ...(env.KIOSK_PORTAL_CA ? { caFile: env.KIOSK_PORTAL_CA } : {}),
    },
    printer: { ...filePrinter, ...printerFromEnv },
    idCardReader: deviceSection(fromFile.idCardReader, env.KIOSK_ID_READER),
    scanner: deviceSection(fromFile.scanner, env.KIOSK_SCANNER),
    technician: {
      ...z.record(z.string(), z.unknown()).catch({}).parse(fromFile.technician),
      ...(env.KIOSK_TECHNICIAN_PIN_HASH ? { pinHash: env.KIOSK_TECHNICIAN_PIN_HASH } : {}),
    },
    sync: {
      ...fileSync,
      ...(env.KIOSK_BAND_SIZE ? { bandSize: Number(env.KIOSK_BAND_SIZE) } : {}),
      ...(env.KIOSK_PULL_INTERVAL_MS ? { pullIntervalMs: Number(env.KIOSK_PULL_INTERVAL_MS) } : {}),
    },
  };
  const result = KioskConfigSchema.safeParse(candidate);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new KioskConfigError(`kiosk config: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  const { portal } = result.data;
  return {
    ...result.data,
    dataDir: path.resolve(result.data.dataDir),
    portal: { ...portal, caFile: portal.caFile === null ? null : path.resolve(portal.caFile) },
  };
}
