import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEFAULT_PG_DATA_DIR, DEFAULT_PG_PORT } from './db/embedded.js';
import { DEMO_KIOSK_TOKEN, DEMO_STAFF_TOKEN } from './seed/demo-credentials.js';

const Port = z.coerce.number().int().min(0).max(65_535);
const Flag = z.enum(['1', 'true', 'yes', '0', 'false', 'no', '']).transform((v) => ['1', 'true', 'yes'].includes(v));

export const PortalCliConfig = z.object({
  port: Port.default(8080),
  host: z.string().min(1).default('127.0.0.1'),
  /** An existing PostgreSQL; when absent the portal starts its embedded one. */
  databaseUrl: z.string().min(1).optional(),
  pgDataDir: z.string().min(1).default(DEFAULT_PG_DATA_DIR),
  pgPort: Port.refine((p) => p > 0, 'PostgreSQL needs a real port').default(DEFAULT_PG_PORT),
  pgLog: z.boolean().default(false),
  /**
   * Demo mode (`--seed-demo`, PORTAL_DEMO=1 or PORTAL_SEED_DEMO=1): seeds the demo hall with the
   * tokens below. Outside it the portal refuses to start with the demo tokens (issue 7 §3).
   */
  seedDemo: z.boolean().default(false),
  kioskId: z.string().min(1).default('kiosk-1'),
  kioskToken: z.string().min(8).default(DEMO_KIOSK_TOKEN),
  staffToken: z.string().min(8).default(DEMO_STAFF_TOKEN),
});
export type PortalCliConfig = z.infer<typeof PortalCliConfig>;

/** Flags win over environment variables; both are checked by one schema. */
export function parsePortalCliConfig(argv: readonly string[], env: NodeJS.ProcessEnv): PortalCliConfig {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'database-url': { type: 'string' },
      'pg-data-dir': { type: 'string' },
      'pg-port': { type: 'string' },
      'pg-log': { type: 'boolean' },
      'seed-demo': { type: 'boolean' },
    },
    strict: true,
  });
  const flag = (v: string | undefined): boolean | undefined => (v === undefined ? undefined : Flag.parse(v.toLowerCase()));
  return PortalCliConfig.parse({
    port: values.port ?? env.PORT,
    host: values.host ?? env.HOST,
    databaseUrl: values['database-url'] ?? (env.DATABASE_URL || undefined),
    pgDataDir: values['pg-data-dir'] ?? env.PORTAL_PG_DATA_DIR,
    pgPort: values['pg-port'] ?? env.PORTAL_PG_PORT,
    pgLog: values['pg-log'] ?? flag(env.PORTAL_PG_LOG),
    seedDemo: values['seed-demo'] ?? (flag(env.PORTAL_DEMO) || flag(env.PORTAL_SEED_DEMO)),
    kioskId: env.KIOSK_ID || undefined,
    kioskToken: env.KIOSK_TOKEN || undefined,
    staffToken: env.STAFF_TOKEN || undefined,
  });
}
