import type pg from 'pg';
import { tokenHash } from '../auth/token-hash.js';
import { newCitizenKey } from '../citizen/citizen-hmac.js';
import { withTransaction } from '../db/transaction.js';

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

/**
 * Seeds (or refreshes) the demo hall: hall (with its citizen key), its catalog, kiosks and one
 * staff token, by hash only.
 * Idempotent: running it again updates names and tokens in place, and never revives a revoked
 * token (a re-seed after a revocation must not reopen what was closed).
 */
export async function seedDemoHall(pool: pg.Pool, options: SeedDemoHallOptions): Promise<void> {
  const hallId = options.hallId ?? DEMO_HALL_ID;
  await withTransaction(pool, async (client) => {
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
    await client.query(
      `INSERT INTO staff_tokens (hall_id, token_hash, staff_id) VALUES ($1, $2, $3)
       ON CONFLICT (hall_id, token_hash) DO UPDATE SET staff_id = EXCLUDED.staff_id`,
      [hallId, tokenHash(options.staffToken), options.staffId ?? DEMO_STAFF_ID],
    );
  });
}
