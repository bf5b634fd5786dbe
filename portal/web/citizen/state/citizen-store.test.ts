import { describe, expect, it } from 'vitest';
import { PortalErrorCode } from '../../../../common/contract/errors.js';
import { Language } from '../../shared/i18n/language.js';
import { fakePortal, type FakeHandler } from '../../testing/fake-portal.js';
import { CitizenPage, emptyRoute, type CitizenRoute } from '../routing/citizen-route.js';
import { HALL_ID, NOW, sampleCitizenCatalog, sampleHalls } from '../testing/citizen-fixtures.js';
import { createCitizenShellStore, currentCatalog, hallToday, LANGUAGE_STORAGE_KEY } from './citizen-store.js';
import { LoadStatus } from './loadable.js';

const HALLS = 'GET /v1/public/halls';
const CATALOG = `GET /v1/citizen/halls/${HALL_ID}/catalog`;

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), data };
}

function setup(route: CitizenRoute, handlers: Record<string, FakeHandler> = {}, options: { language?: Language | null; storage?: ReturnType<typeof memoryStorage> } = {}) {
  const portal = fakePortal({ [HALLS]: () => ({ body: { halls: sampleHalls } }), [CATALOG]: () => ({ body: sampleCitizenCatalog }), ...handlers });
  const pushed: CitizenRoute[] = [];
  const replaced: CitizenRoute[] = [];
  const store = createCitizenShellStore({
    client: portal.client(),
    route,
    history: { push: (r) => pushed.push(r), replace: (r) => replaced.push(r) },
    language: options.language ?? null,
    storage: options.storage ?? null,
    now: () => NOW - 60_000,
  });
  return { portal, store, pushed, replaced };
}

describe('citizen shell store', () => {
  it('chooses the only hall for a hall page without ?hall= (replacing the address) and loads its catalog', async () => {
    const { store, replaced, portal } = setup(emptyRoute(CitizenPage.Guide));
    await store.getState().start();
    expect(replaced).toEqual([emptyRoute(CitizenPage.Guide, HALL_ID)]);
    expect(store.getState().route.hallId).toBe(HALL_ID);
    await Promise.resolve();
    await new Promise((r) => setTimeout(r, 0));
    expect(currentCatalog(store.getState())?.hall.hallId).toBe(HALL_ID);
    expect(store.getState().clockOffsetMs).toBe(60_000);
    expect(portal.requests.filter((r) => r.path.endsWith('/catalog'))).toHaveLength(1);
  });

  it('lets the citizen choose among several halls', async () => {
    const halls = [...sampleHalls, { hallId: 'north-hall', name: { zh: '北区大厅', en: 'North hall' } }];
    const { store, replaced } = setup(emptyRoute(CitizenPage.Progress), { [HALLS]: () => ({ body: { halls } }) });
    await store.getState().start();
    expect(replaced).toEqual([]);
    expect(store.getState().route.hallId).toBeNull();
    expect(store.getState().halls).toEqual({ status: LoadStatus.Ready, value: halls });
  });

  it('leaves the verify and rating pages without a hall', async () => {
    const { store, replaced } = setup(emptyRoute(CitizenPage.Verify));
    await store.getState().start();
    expect(replaced).toEqual([]);
    expect(store.getState().catalogs).toEqual({});
  });

  it('pushes a move into the history, follows back/forward without pushing, and loads each hall once', async () => {
    const { store, pushed, portal } = setup(emptyRoute(CitizenPage.Guide, HALL_ID));
    await store.getState().start();
    const book = { ...emptyRoute(CitizenPage.Book, HALL_ID), serviceId: 'social-insurance' };
    store.getState().navigate(book);
    expect(pushed).toEqual([book]);
    store.getState().locationChanged(emptyRoute(CitizenPage.Guide, HALL_ID));
    expect(pushed).toHaveLength(1);
    expect(store.getState().route.page).toBe(CitizenPage.Guide);
    await new Promise((r) => setTimeout(r, 0));
    expect(portal.requests.filter((r) => r.path.endsWith('/catalog'))).toHaveLength(1);
  });

  it('keeps a failed catalog as a coded error and loads it again on retry', async () => {
    let fail = true;
    const { store } = setup(emptyRoute(CitizenPage.Guide, HALL_ID), {
      [CATALOG]: () => (fail ? { status: 404, body: { code: 'not-found', message: 'no hall' } } : { body: sampleCitizenCatalog }),
    });
    await store.getState().start();
    await new Promise((r) => setTimeout(r, 0));
    expect(store.getState().catalogs[HALL_ID]).toMatchObject({ status: LoadStatus.Failed, error: { code: PortalErrorCode.NotFound } });
    fail = false;
    await store.getState().loadCatalog(HALL_ID, { force: true });
    expect(store.getState().catalogs[HALL_ID]?.status).toBe(LoadStatus.Ready);
  });

  it('starts in Chinese, takes ?lang= or the last choice, and remembers a switch', () => {
    expect(setup(emptyRoute(CitizenPage.Guide)).store.getState().language).toBe(Language.Zh);
    const storage = memoryStorage({ [LANGUAGE_STORAGE_KEY]: 'en' });
    const { store } = setup(emptyRoute(CitizenPage.Guide), {}, { storage });
    expect(store.getState().language).toBe(Language.En);
    expect(setup(emptyRoute(CitizenPage.Guide), {}, { storage, language: Language.Zh }).store.getState().language).toBe(Language.Zh);
    store.getState().toggleLanguage();
    expect(store.getState().language).toBe(Language.Zh);
    expect(storage.data.get(LANGUAGE_STORAGE_KEY)).toBe('zh');
  });

  it("knows the hall's today by the portal's clock in the hall's zone", () => {
    // 23:30 UTC on the 10th is already the 11th in Shanghai.
    expect(hallToday(sampleCitizenCatalog, Date.parse('2025-03-10T23:30:00Z'))).toBe('2025-03-11');
    expect(hallToday({ ...sampleCitizenCatalog, hall: { ...sampleCitizenCatalog.hall, timeZone: 'Europe/London' } }, Date.parse('2025-03-10T23:30:00Z'))).toBe('2025-03-10');
  });
});
