import { pinyin } from 'pinyin-pro';
import type pg from 'pg';
import { z } from 'zod';

/**
 * The pinyin search keys of a service (common/domain/guide-search.ts matches a query against the
 * start of each key): the full pinyin and the initials of the whole Chinese name, and of every
 * word in it. pinyin-pro reads the name as a whole, so a character with several readings takes
 * the one of its word (重庆 chongqing, 银行 yinhang). pinyin-pro cannot cut a name into words,
 * so every tail of at least two characters counts as one (住房公积金: 公积金, 积金): a query finds
 * the words and, harmlessly, a few non-words, just as the Chinese name is matched anywhere.
 * Punctuation, spaces and digits part the name into runs (市场监管/企业开办: 市场监管, 企业开办), and
 * Latin letters in it are kept as written, lower case.
 */

/** The contract's bounds: at most this many keys (common/contract/catalog.ts). */
export const MAX_SEARCH_KEYS = 20;
const MAX_KEY_LENGTH = 64;
/** A tail shorter than this is no word of its own, just a character. */
const MIN_TAIL_CHARACTERS = 2;

const LATIN = /^[a-z]$/;

/** One word-part of a name: a Chinese character's syllable, or a run of Latin letters (ETC). */
type Part = string;

/**
 * Runs of parts between breaks (punctuation, spaces, digits). Chinese characters are read in the
 * context of the whole name; Latin letters in a row are one part, kept lower case.
 */
function runsOf(name: string): Part[][] {
  const items = pinyin(name.normalize('NFKC'), { toneType: 'none', type: 'all', v: true });
  const runs: Part[][] = [];
  let current: Part[] = [];
  let latin = '';
  const endLatin = (): void => {
    if (latin !== '') current.push(latin);
    latin = '';
  };
  const endRun = (): void => {
    endLatin();
    if (current.length > 0) runs.push(current);
    current = [];
  };
  for (const item of items) {
    const syllable = item.pinyin.toLowerCase().replace(/[^a-z]/g, '');
    const letter = item.origin.toLowerCase();
    if (item.isZh && syllable !== '') {
      endLatin();
      current.push(syllable);
    } else if (!item.isZh && LATIN.test(letter)) {
      latin += letter;
    } else {
      endRun();
    }
  }
  endRun();
  return runs;
}

function keyOk(key: string): boolean {
  return key.length >= 1 && key.length <= MAX_KEY_LENGTH && /^[a-z]+$/.test(key);
}

/**
 * The search keys of a Chinese service name, most useful first: the whole name (full, initials),
 * then each run of it, then every tail of each run from its second character on.
 */
export function searchKeysOf(nameZh: string): string[] {
  const runs = runsOf(nameZh);
  const keys: string[] = [];
  const add = (syllables: readonly string[]): void => {
    for (const key of [syllables.join(''), syllables.map((s) => s.charAt(0)).join('')]) {
      if (keyOk(key) && !keys.includes(key)) keys.push(key);
    }
  };
  add(runs.flat());
  for (const run of runs) add(run);
  for (const run of runs) {
    for (let start = 1; start + MIN_TAIL_CHARACTERS <= run.length; start += 1) add(run.slice(start));
  }
  return keys.slice(0, MAX_SEARCH_KEYS);
}

const StaleRow = z.object({ hall_id: z.string(), service_id: z.string(), name_zh: z.string() });

/**
 * Writes the search keys of every service (of one hall, or all) whose keys were not computed from
 * its current Chinese name: the seed calls it after writing names, the portal at start for names
 * written any other way, and the manager console (issue 10) after it renames a service. Returns
 * how many services it keyed. The update bumps the hall's catalog version (services trigger).
 */
export async function refreshSearchKeys(db: pg.Pool | pg.PoolClient, hallId?: string): Promise<number> {
  const stale = await db.query(
    `SELECT hall_id, service_id, name_zh FROM services
     WHERE ($1::text IS NULL OR hall_id = $1) AND search_keys_name IS DISTINCT FROM name_zh`,
    [hallId ?? null],
  );
  let keyed = 0;
  for (const raw of stale.rows) {
    const row = StaleRow.parse(raw);
    // Conditional on the name still being the one keyed: a rename meanwhile is keyed by its writer.
    const updated = await db.query(
      `UPDATE services SET search_keys = $4, search_keys_name = $3
       WHERE hall_id = $1 AND service_id = $2 AND name_zh = $3`,
      [row.hall_id, row.service_id, row.name_zh, searchKeysOf(row.name_zh)],
    );
    keyed += updated.rowCount ?? 0;
  }
  return keyed;
}
