import type Database from 'better-sqlite3';
import type { CertificateKey } from '../common/contract/cases-api.js';

/**
 * The hall's e-certificate verification keys (public keys only), as the last pull gave them: the
 * complete set each time, so a key the hall retired stops verifying here too. Statements only,
 * run inside the pull's transaction.
 */
export class CertificateKeys {
  private readonly stmt;

  constructor(db: Database.Database) {
    this.stmt = {
      clear: db.prepare('DELETE FROM certificate_keys'),
      insert: db.prepare<[string, string, string]>('INSERT INTO certificate_keys (key_id, public_key, pulled_at) VALUES (?, ?, ?)'),
      list: db.prepare<[], { key_id: string; public_key: string }>('SELECT key_id, public_key FROM certificate_keys ORDER BY key_id'),
    };
  }

  replaceAll(keys: readonly CertificateKey[], at: string): void {
    this.stmt.clear.run();
    // A key listed twice by the portal: the first stands.
    const seen = new Set<string>();
    for (const key of keys) {
      if (seen.has(key.keyId)) continue;
      seen.add(key.keyId);
      this.stmt.insert.run(key.keyId, key.publicKey, at);
    }
  }

  list(): CertificateKey[] {
    return this.stmt.list.all().map((r) => ({ keyId: r.key_id, publicKey: r.public_key }));
  }
}
