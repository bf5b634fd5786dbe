import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { StaffRole } from '../../common/contract/route-spec.js';
import { STATS_MAX_DAYS, StatsBy, StatsResponse, type StatsRow } from '../../common/contract/stats-api.js';
import { addDays } from '../../common/domain/business-day.js';
import { addStaffKey } from '../counter/counter-test-kit.js';
import { TEST_DAY, TEST_NOW, startPortalHarness, type PortalHarness } from '../test-support/portal-harness.js';
import { toStatsRow } from './hall-stats.js';
import { readRawHall, referenceFigures, referenceLegs } from './stats-reference.js';
import { UTF8_BOM, statsCsv } from './stats-csv.js';
import { generateHallDays, type GeneratedHall } from './stats-test-kit.js';

/**
 * `/v1/manager/stats` and its CSV over HTTP on a real portal and PostgreSQL, with two generated
 * halls: managers and admins only; the range is checked; the principal's hall is the only one
 * counted (each manager's answer equals the reference figures of their own hall); the CSV is what
 * Excel opens (BOM, attachment, formula cells neutralised).
 */

let h: PortalHarness;
const halls: GeneratedHall[] = [];
const managerToken = (hall: GeneratedHall): string => `${hall.hallId}-manager-token`;
const CLERK_TOKEN = 'stats-routes-clerk-token';
const ADMIN_TOKEN = 'stats-routes-admin-token';

beforeAll(async () => {
  h = await startPortalHarness();
  for (const [i, timeZone] of ['Asia/Shanghai', 'Asia/Kathmandu'].entries()) {
    halls.push(
      await generateHallDays(h.db.pool, {
        hallId: `stats-route-hall-${i + 1}`,
        seed: 42 + i,
        timeZone,
        dayStartHour: 3,
        firstNow: TEST_NOW,
        days: 2,
        stepsPerDay: 80,
      }),
    );
  }
  const first = halls[0] as GeneratedHall;
  await addStaffKey(h.db.pool, first.hallId, 'stats-routes-clerk', StaffRole.Clerk, CLERK_TOKEN);
  await addStaffKey(h.db.pool, first.hallId, 'stats-routes-admin', StaffRole.Admin, ADMIN_TOKEN);
}, 240_000);

afterAll(async () => {
  await h?.close();
});

const query = (q: Record<string, string>): string => new URLSearchParams(q).toString();
const hall = (i: number): GeneratedHall => halls[i] as GeneratedHall;
const range = (g: GeneratedHall) => ({ from: g.days[0] ?? TEST_DAY, to: g.days[g.days.length - 1] ?? TEST_DAY });
const numbers = ({ name: _name, ...row }: StatsRow) => row;

describe('GET /v1/manager/stats', () => {
  it('answers managers and admins only', async () => {
    const path = `/v1/manager/stats?${query({ ...range(hall(0)), by: 'day' })}`;
    expect((await h.request('GET', path)).status).toBe(401);
    const clerk = await h.request('GET', path, { token: CLERK_TOKEN });
    expect(clerk.status).toBe(403);
    expect(clerk.body).toMatchObject({ code: PortalErrorCode.Forbidden });
    expect((await h.request('GET', path, { token: managerToken(hall(0)) })).status).toBe(200);
    expect((await h.request('GET', path, { token: ADMIN_TOKEN })).status).toBe(200);
    expect((await h.request('GET', `/v1/manager/stats.csv?${query({ ...range(hall(0)), by: 'day' })}`, { token: CLERK_TOKEN })).status).toBe(403);
  });

  it('refuses a range that is backwards, too long, not a calendar day, or an unknown grouping', async () => {
    const token = managerToken(hall(0));
    const ask = (q: Record<string, string>) => h.request('GET', `/v1/manager/stats?${query(q)}`, { token });
    const longest = { from: '2024-01-01', to: addDays('2024-01-01', STATS_MAX_DAYS - 1), by: 'day' };
    expect((await ask(longest)).status).toBe(200);
    const refused: Record<string, string>[] = [
      { from: '2025-03-11', to: '2025-03-10', by: 'day' },
      { ...longest, to: addDays(longest.to, 1) },
      { from: '2025-02-30', to: '2025-03-10', by: 'day' },
      { from: '2025-3-1', to: '2025-03-10', by: 'day' },
      { from: '2025-03-01', to: '2025-03-10', by: 'week' },
      { from: '2025-03-01', by: 'day' },
    ];
    for (const bad of refused) {
      const answer = await ask(bad);
      expect(answer.status, JSON.stringify(bad)).toBe(400);
      expect(answer.body).toMatchObject({ code: PortalErrorCode.BadRequest });
    }
  });

  it("counts the caller's own hall only: each manager gets the reference figures of their hall", async () => {
    for (const g of halls) {
      const raw = await readRawHall(h.db.pool, g.hallId);
      const legs = referenceLegs(raw, g.timeZone);
      for (const by of Object.values(StatsBy)) {
        const answer = await h.request('GET', `/v1/manager/stats?${query({ ...range(g), by })}`, { token: managerToken(g) });
        expect(answer.status).toBe(200);
        const stats = StatsResponse.parse(answer.body);
        expect(stats).toMatchObject({ ...range(g), by, timeZone: g.timeZone, today: TEST_DAY });
        const reference = referenceFigures(raw, legs, { ...range(g), by, timeZone: g.timeZone, today: TEST_DAY });
        expect(numbers(stats.total), `${g.hallId} ${by}`).toEqual(numbers(toStatsRow(reference.total, null)));
        const expected = [...reference.groups.values()].map((f) => numbers(toStatsRow(f, null)));
        expect(stats.rows.map(numbers).sort((a, b) => (a.key < b.key ? -1 : 1)), `${g.hallId} ${by}`).toEqual(
          expected.sort((a, b) => (a.key < b.key ? -1 : 1)),
        );
        if (by === StatsBy.Hour) {
          // The business day's order: from its start hour (03) round to 02.
          const hours = stats.rows.map((r) => (Number(r.key) + 24 - 3) % 24);
          expect(hours).toEqual([...hours].sort((a, b) => a - b));
        }
        if (by === StatsBy.Service) {
          expect(stats.rows.find((r) => r.key === 'social-insurance')?.name).toEqual({ zh: '社会保障', en: 'Social Insurance' });
        }
      }
    }
    // The halls differ, so a leak would show.
    const totals = await Promise.all(
      halls.map(async (g) => StatsResponse.parse((await h.request('GET', `/v1/manager/stats?${query({ ...range(g), by: 'day' })}`, { token: managerToken(g) })).body).total),
    );
    expect(totals[0]?.arrivals).not.toBe(totals[1]?.arrivals);
  });
});

describe('GET /v1/manager/stats.csv', () => {
  it('is an attachment in UTF-8 with a BOM, the same table as the JSON, formulas neutralised', async () => {
    const g = hall(0);
    await h.db.pool.query(`UPDATE services SET name_zh = '=cmd|'' /C calc''!A0' WHERE hall_id = $1 AND service_id = 'general'`, [g.hallId]);
    const q = { ...range(g), by: 'service' };
    const res = await fetch(`${h.baseUrl}/v1/manager/stats.csv?${query(q)}`, { headers: { authorization: `Bearer ${managerToken(g)}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="hall-stats-service-${q.from}-${q.to}.csv"`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const text = bytes.toString('utf8');
    const json = StatsResponse.parse((await h.request('GET', `/v1/manager/stats?${query(q)}`, { token: managerToken(g) })).body);
    expect(text).toBe(statsCsv(json, 'zh'));
    expect(text.startsWith(`${UTF8_BOM}事项,名称,到达`)).toBe(true);
    expect(text).toContain(`general,'=cmd|' /C calc'!A0,`);
    expect(text.split('\r\n')).toHaveLength(json.rows.length + 3);

    const en = await fetch(`${h.baseUrl}/v1/manager/stats.csv?${query({ ...q, lang: 'en' })}`, { headers: { authorization: `Bearer ${managerToken(g)}` } });
    // Bytes, not text(): a fetch decoder drops the BOM that Excel needs.
    expect(Buffer.from(await en.arrayBuffer()).toString('utf8').startsWith(`${UTF8_BOM}Service,Name,Arrivals`)).toBe(true);
  });
});
