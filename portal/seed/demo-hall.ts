import type pg from 'pg';
import { hashPassword } from '../auth/password-hash.js';
import { tokenHash } from '../auth/token-hash.js';
import { newCitizenKey } from '../citizen/citizen-hmac.js';
import { withTransaction } from '../db/transaction.js';
import { refreshSearchKeys } from '../queue/search-keys.js';
import { catalogVersion, emitCatalogChanged, writeHallSettings, writeServiceConfig } from '../queue/service-config.js';
import { issueDisplayTokenIn } from '../staff/display-tokens.js';
import { DEMO_STAFF_PASSWORD, type DemoStaffAccount } from './demo-credentials.js';
import { DEMO_CALENDAR, DEMO_SERVICE_CONFIG } from './demo-guides.js';

export const DEMO_HALL_ID = 'demo-city-hall';
export const DEMO_STAFF_ID = 'demo-staff';

export interface DemoKioskToken {
  kioskId: string;
  token: string;
  /** Digit of the kiosk-marked series (A2-047), unique within the hall. */
  kioskDigit: number;
}

export interface SeedDemoHallOptions {
  hallId?: string;
  kioskTokens: DemoKioskToken[];
  staffToken: string;
  staffId?: string;
  /**
   * Staff accounts to create with DEMO_STAFF_PASSWORD (the demo passes DEMO_STAFF_ACCOUNTS). An
   * account that exists already is left as it is: a re-seed never resets a changed password nor
   * enables a disabled account.
   */
  staffAccounts?: readonly DemoStaffAccount[];
  /** The hall display's token (the demo passes DEMO_DISPLAY_TOKEN), as display `hall-display-1`. */
  displayToken?: string;
}

export const DEMO_DISPLAY_ID = 'hall-display-1';

/** Hashes DEMO_STAFF_PASSWORD for the accounts the hall does not have yet (before the transaction: 0.1 s each). */
async function newDemoAccounts(
  pool: pg.Pool,
  hallId: string,
  accounts: readonly DemoStaffAccount[],
): Promise<{ account: DemoStaffAccount; hash: string }[]> {
  const existing = await pool.query<{ staff_id: string }>('SELECT staff_id FROM staff WHERE hall_id = $1', [hallId]);
  const have = new Set(existing.rows.map((r) => r.staff_id));
  const missing = accounts.filter((a) => !have.has(a.staffId));
  return Promise.all(missing.map(async (account) => ({ account, hash: await hashPassword(DEMO_STAFF_PASSWORD) })));
}

interface DemoService {
  id: string;
  prefix: string;
  zh: string;
  en: string;
  descriptionZh: string;
  descriptionEn: string;
}

/** A typical municipal service centre (市民中心) catalog; I is skipped as a prefix (reads as 1). */
export const DEMO_SERVICES: readonly DemoService[] = [
  { id: 'social-insurance', prefix: 'A', zh: '社会保障', en: 'Social Insurance', descriptionZh: '社保登记、缴费、转移接续、待遇申领', descriptionEn: 'Enrolment, contributions, transfers and benefit claims' },
  { id: 'medical-insurance', prefix: 'B', zh: '医疗保障', en: 'Medical Insurance', descriptionZh: '医保参保、异地就医备案、报销', descriptionEn: 'Enrolment, out-of-town treatment filing, reimbursement' },
  { id: 'housing-fund', prefix: 'C', zh: '住房公积金', en: 'Housing Provident Fund', descriptionZh: '公积金缴存、提取、贷款', descriptionEn: 'Deposits, withdrawals and loans' },
  { id: 'real-estate', prefix: 'D', zh: '不动产登记', en: 'Real Estate Registration', descriptionZh: '不动产权登记、抵押、查询', descriptionEn: 'Title registration, mortgages and searches' },
  { id: 'business-registration', prefix: 'E', zh: '市场监管/企业开办', en: 'Business Registration', descriptionZh: '企业设立、变更、注销一站式办理', descriptionEn: 'Company formation, changes and deregistration in one stop' },
  { id: 'exit-entry', prefix: 'F', zh: '出入境', en: 'Exit and Entry', descriptionZh: '护照、港澳台通行证办理与签注', descriptionEn: 'Passports, travel permits and endorsements' },
  { id: 'tax', prefix: 'G', zh: '税务', en: 'Taxation', descriptionZh: '发票申领、纳税申报、税务登记', descriptionEn: 'Invoices, tax returns and tax registration' },
  { id: 'household-registration', prefix: 'H', zh: '户籍', en: 'Household Registration', descriptionZh: '户口迁移、身份证申领与换领', descriptionEn: 'Residence transfers, ID card application and renewal' },
  { id: 'traffic', prefix: 'J', zh: '公安交管', en: 'Traffic Management', descriptionZh: '驾驶证、机动车业务、违法处理', descriptionEn: 'Driving licences, vehicle services and violations' },
  { id: 'general', prefix: 'K', zh: '综合受理', en: 'General Services', descriptionZh: '综合窗口受理、咨询与帮办代办', descriptionEn: 'General intake, enquiries and assisted applications' },
];

export interface DemoCounter {
  counterId: string;
  /** The number on the sign (3 号窗口). */
  number: number;
  /** The services it may serve; empty: every service of the hall. */
  serviceIds: readonly string[];
}

/** 1–8 号窗口: specialised counters, a general one (7) and one that serves everything (8). */
export const DEMO_COUNTERS: readonly DemoCounter[] = [
  { counterId: 'window-1', number: 1, serviceIds: ['social-insurance'] },
  { counterId: 'window-2', number: 2, serviceIds: ['social-insurance', 'medical-insurance'] },
  { counterId: 'window-3', number: 3, serviceIds: ['housing-fund', 'real-estate'] },
  { counterId: 'window-4', number: 4, serviceIds: ['business-registration', 'tax'] },
  { counterId: 'window-5', number: 5, serviceIds: ['exit-entry', 'household-registration'] },
  { counterId: 'window-6', number: 6, serviceIds: ['traffic'] },
  { counterId: 'window-7', number: 7, serviceIds: ['general'] },
  { counterId: 'window-8', number: 8, serviceIds: [] },
];

/**
 * Seeds (or refreshes) the demo hall: hall (with its citizen key), its catalog, its counters
 * (DEMO_COUNTERS), kiosks and one staff token, by hash only.
 * Idempotent: running it again updates names and tokens in place, and never revives a revoked
 * token (a re-seed after a revocation must not reopen what was closed).
 */
export async function seedDemoHall(pool: pg.Pool, options: SeedDemoHallOptions): Promise<void> {
  const hallId = options.hallId ?? DEMO_HALL_ID;
  const staffAccounts = options.staffAccounts && options.staffAccounts.length > 0 ? await newDemoAccounts(pool, hallId, options.staffAccounts) : [];
  await withTransaction(pool, async (client) => {
    // 0 for a new hall: nobody follows it yet, so its first catalog is no news (see the end).
    const catalogBefore = await catalogVersion(client, hallId);
    // A new hall gets its citizen key here; a reseed keeps the key (every stored HMAC depends on it).
    await client.query(
      `INSERT INTO halls (hall_id, name_zh, name_en, time_zone, business_day_start_hour, citizen_hmac_key)
       VALUES ($1, '市民中心政务服务大厅', 'Citizen Service Centre', 'Asia/Shanghai', 3, $2)
       ON CONFLICT (hall_id) DO UPDATE SET name_zh = EXCLUDED.name_zh, name_en = EXCLUDED.name_en,
         time_zone = EXCLUDED.time_zone, business_day_start_hour = EXCLUDED.business_day_start_hour`,
      [hallId, newCitizenKey()],
    );
    for (const [index, s] of DEMO_SERVICES.entries()) {
      await client.query(
        `INSERT INTO services (hall_id, service_id, prefix, name_zh, name_en, description_zh, description_en, enabled, sort_order)
         VALUES ($1, $2, $3, $4, $5, $6, $7, true, $8)
         ON CONFLICT (hall_id, service_id) DO UPDATE SET prefix = EXCLUDED.prefix, name_zh = EXCLUDED.name_zh,
           name_en = EXCLUDED.name_en, description_zh = EXCLUDED.description_zh,
           description_en = EXCLUDED.description_en, sort_order = EXCLUDED.sort_order`,
        [hallId, s.id, s.prefix, s.zh, s.en, s.descriptionZh, s.descriptionEn, (index + 1) * 10],
      );
    }
    // What the services publish (hours, guide, booking rules), the hall calendar, and the pinyin
    // search keys of the names just written (issue 9); the same values again change nothing.
    for (const s of DEMO_SERVICES) {
      const config = DEMO_SERVICE_CONFIG[s.id];
      if (config) await writeServiceConfig(client, hallId, s.id, config);
    }
    await writeHallSettings(client, hallId, { calendar: DEMO_CALENDAR, checkInWindow: { beforeMinutes: 30, afterMinutes: 15 }, rectificationDays: 5 });
    await refreshSearchKeys(client, hallId);
    for (const counter of DEMO_COUNTERS) {
      // A reseed renames and re-enables; who is signed in, and the pause, are left alone.
      await client.query(
        `INSERT INTO counters (hall_id, counter_id, number, name_zh, name_en, enabled) VALUES ($1, $2, $3, $4, $5, true)
         ON CONFLICT (hall_id, counter_id) DO UPDATE SET number = EXCLUDED.number, name_zh = EXCLUDED.name_zh,
           name_en = EXCLUDED.name_en, enabled = true`,
        [hallId, counter.counterId, counter.number, `${counter.number} 号窗口`, `Counter ${counter.number}`],
      );
      await client.query(
        `DELETE FROM counter_services WHERE hall_id = $1 AND counter_id = $2 AND NOT (service_id = ANY($3::text[]))`,
        [hallId, counter.counterId, counter.serviceIds],
      );
      await client.query(
        `INSERT INTO counter_services (hall_id, counter_id, service_id)
         SELECT $1, $2, s FROM unnest($3::text[]) AS s ON CONFLICT DO NOTHING`,
        [hallId, counter.counterId, counter.serviceIds],
      );
    }
    for (const kiosk of options.kioskTokens) {
      await client.query(
        `INSERT INTO kiosks (hall_id, kiosk_id, token_hash, kiosk_digit) VALUES ($1, $2, $3, $4)
         ON CONFLICT (hall_id, kiosk_id) DO UPDATE SET token_hash = EXCLUDED.token_hash,
           kiosk_digit = EXCLUDED.kiosk_digit,
           -- A revoked token stays revoked; only a different token makes the kiosk active again.
           revoked_at = CASE WHEN kiosks.token_hash = EXCLUDED.token_hash THEN kiosks.revoked_at END`,
        [hallId, kiosk.kioskId, tokenHash(kiosk.token), kiosk.kioskDigit],
      );
    }
    // The API key's holder: a clerk account without a password (staff_tokens point to staff).
    await client.query(
      `INSERT INTO staff (hall_id, staff_id, display_name, role) VALUES ($1, $2, 'API client', 'clerk')
       ON CONFLICT (hall_id, staff_id) DO NOTHING`,
      [hallId, options.staffId ?? DEMO_STAFF_ID],
    );
    for (const { account, hash } of staffAccounts) {
      await client.query(
        `INSERT INTO staff (hall_id, staff_id, username, display_name, role, password_hash, password_changed_at)
         VALUES ($1, $2, $3, $4, $5, $6, clock_timestamp())
         ON CONFLICT DO NOTHING`,
        [hallId, account.staffId, account.username, account.displayName, account.role, hash],
      );
    }
    if (options.displayToken !== undefined) {
      await issueDisplayTokenIn(client, { hallId, displayId: DEMO_DISPLAY_ID, name: '大厅主屏 Hall display', token: options.displayToken });
    }
    await client.query(
      `INSERT INTO staff_tokens (hall_id, token_hash, staff_id) VALUES ($1, $2, $3)
       ON CONFLICT (hall_id, token_hash) DO UPDATE SET staff_id = EXCLUDED.staff_id`,
      [hallId, tokenHash(options.staffToken), options.staffId ?? DEMO_STAFF_ID],
    );
    // A reseed that changed the catalog: kiosks following the hall pull it at once (last statement).
    if (catalogBefore > 0) await emitCatalogChanged(client, hallId, catalogBefore);
  });
}
