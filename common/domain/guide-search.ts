/**
 * Search of services by name and by pinyin (`gjj` or `gongjijin` finds 住房公积金). The portal computes
 * each service's search keys once with pinyin-pro (full pinyin and initials, of the whole name and
 * of each word) and publishes them with the catalog; every screen matches with this one rule, so the
 * kiosk needs no pinyin dictionary and the citizen page and the kiosk find the same services.
 */
export interface Searchable {
  name: { zh: string; en: string };
  /** Lowercase ASCII pinyin keys, e.g. `zhufanggongjijin`, `zfgjj`, `gongjijin`, `gjj`. */
  searchKeys: readonly string[];
}

export function normaliseQuery(query: string): string {
  return query.normalize('NFKC').toLowerCase().replace(/[\s'’·\-_]/g, '');
}

/** Whether a service matches: its Chinese or English name contains the query, or a key starts with it. */
export function matchesQuery(item: Searchable, query: string): boolean {
  const q = normaliseQuery(query);
  if (q === '') return true;
  if (normaliseQuery(item.name.zh).includes(q) || normaliseQuery(item.name.en).includes(q)) return true;
  return item.searchKeys.some((key) => key.startsWith(q));
}

/** The matching items, best first: a key or name that starts with the query before one that merely contains it. */
export function searchServices<T extends Searchable>(items: readonly T[], query: string): T[] {
  const q = normaliseQuery(query);
  if (q === '') return [...items];
  const score = (item: T): number => {
    const names = [normaliseQuery(item.name.zh), normaliseQuery(item.name.en)];
    if (names.some((n) => n.startsWith(q)) || item.searchKeys.some((k) => k === q)) return 0;
    return 1;
  };
  return items
    .filter((item) => matchesQuery(item, q))
    .map((item, index) => ({ item, index, score: score(item) }))
    .sort((a, b) => a.score - b.score || a.index - b.index)
    .map((entry) => entry.item);
}
