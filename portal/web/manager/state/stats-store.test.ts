import { describe, expect, it } from 'vitest';
import { StatsBy } from '../../../../common/contract/stats-api.js';
import { Language } from '../../shared/i18n/language.js';
import { fakePortal, type RecordedRequest } from '../../testing/fake-portal.js';
import { sampleStats } from '../testing/manager-fixtures.js';
import { StatsPreset } from './stats-range.js';
import { activePreset, createStatsStore, statsCsvUrl } from './stats-store.js';

function answerFor(request: RecordedRequest) {
  const q = new URLSearchParams(request.search);
  return { body: sampleStats(q.get('by') as StatsBy, { from: q.get('from') ?? '', to: q.get('to') ?? '' }) };
}

describe('statistics store', () => {
  it('opens on the last 7 days by day, and reloads on a preset', async () => {
    const portal = fakePortal({ 'GET /v1/manager/stats': answerFor });
    const store = createStatsStore({ client: portal.client(), onUnauthorized: () => undefined });
    await store.getState().open('2025-03-10');
    expect(portal.requests[0]?.search).toBe('?from=2025-03-04&to=2025-03-10&by=day');
    expect(activePreset(store.getState())).toBe(StatsPreset.Last7);
    expect(store.getState().result?.rows).toHaveLength(2);
    await store.getState().choosePreset(StatsPreset.Last90, '2025-03-10');
    expect(portal.requests[1]?.search).toBe('?from=2024-12-11&to=2025-03-10&by=day');
    expect(store.getState().result?.from).toBe('2024-12-11');
    // The page stayed open past midnight: the preset counts from the new day.
    await store.getState().choosePreset(StatsPreset.Today, '2025-03-11');
    expect(portal.requests[2]?.search).toBe('?from=2025-03-11&to=2025-03-11&by=day');
    expect(activePreset(store.getState())).toBe(StatsPreset.Today);
  });

  it('checks a typed range before asking, and says why on the field', async () => {
    const portal = fakePortal({ 'GET /v1/manager/stats': answerFor });
    const store = createStatsStore({ client: portal.client(), onUnauthorized: () => undefined });
    await store.getState().open('2025-03-10');
    store.getState().editRange({ from: '2025-03-10', to: '2025-03-01' });
    await store.getState().apply();
    expect(store.getState().problems).toEqual({ to: 'to-before-from' });
    expect(portal.requests).toHaveLength(1);
    expect(activePreset(store.getState())).toBeNull();
    store.getState().editRange({ from: '2025-03-01', to: '2025-03-05' });
    await store.getState().apply();
    expect(store.getState().problems).toEqual({});
    expect(portal.requests[1]?.search).toBe('?from=2025-03-01&to=2025-03-05&by=day');
  });

  it('changes only the grouping: the table’s range, not a half-typed draft', async () => {
    const portal = fakePortal({ 'GET /v1/manager/stats': answerFor });
    const store = createStatsStore({ client: portal.client(), onUnauthorized: () => undefined });
    await store.getState().open('2025-03-10');
    store.getState().editRange({ from: '2025-' });
    await store.getState().groupBy(StatsBy.Service);
    expect(portal.requests[1]?.search).toBe('?from=2025-03-04&to=2025-03-10&by=service');
    expect(store.getState().result?.by).toBe(StatsBy.Service);
  });

  it('shows the answer to the latest request, whatever order the answers come in', async () => {
    const pending: (() => void)[] = [];
    const portal = fakePortal({ 'GET /v1/manager/stats': (r) => new Promise((resolve) => pending.push(() => resolve(answerFor(r)))) });
    const store = createStatsStore({ client: portal.client(), onUnauthorized: () => undefined });
    const first = store.getState().open('2025-03-10');
    const second = store.getState().groupBy(StatsBy.Hour);
    await new Promise((r) => setTimeout(r, 0));
    pending[1]?.();
    await second;
    pending[0]?.();
    await first;
    expect(store.getState().result?.by).toBe(StatsBy.Hour);
    expect(store.getState().loading).toBe(false);
  });

  it('links each table’s CSV with its range, grouping and the page’s language', () => {
    const portal = fakePortal({});
    const url = statsCsvUrl(portal.client(), { from: '2025-03-04', to: '2025-03-10', by: StatsBy.Clerk }, Language.En);
    expect(url).toBe('http://portal.test/v1/manager/stats.csv?from=2025-03-04&to=2025-03-10&by=clerk&lang=en');
  });

  it('hands a lost session to the console', async () => {
    const portal = fakePortal({ 'GET /v1/manager/stats': () => ({ status: 401, body: { code: 'unauthorized', message: 'ended' } }) });
    let lost = 0;
    const store = createStatsStore({ client: portal.client(), onUnauthorized: () => (lost += 1) });
    await store.getState().open('2025-03-10');
    expect(lost).toBe(1);
  });
});
