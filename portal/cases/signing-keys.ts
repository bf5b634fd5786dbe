import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type pg from 'pg';
import { z } from 'zod';
import type { CertificateKey } from '../../common/contract/cases-api.js';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { PortalError } from '../http/portal-error.js';
import { openSigningKey, sealSigningKey, type CertificateKek } from './key-sealing.js';

/**
 * The hall's Ed25519 signing keys: generated at first need (the first certificate), one per hall
 * and KEK (key-sealing.ts), public keys published to kiosks with every pull.
 */

/** The key id: a fingerprint of the public key, so the same key always has the same id. */
export function keyIdOf(spki: Uint8Array): string {
  return createHash('sha256').update(spki).digest().subarray(0, 12).toString('base64url');
}

const SigningRow = z.object({ key_id: z.string(), private_key_sealed: z.instanceof(Buffer) });

async function activeKeyRow(client: pg.PoolClient, hallId: string, kek: CertificateKek): Promise<z.infer<typeof SigningRow> | null> {
  const result = await client.query(
    'SELECT key_id, private_key_sealed FROM hall_signing_keys WHERE hall_id = $1 AND kek_id = $2 AND retired_at IS NULL',
    [hallId, kek.id],
  );
  return result.rows[0] ? SigningRow.parse(result.rows[0]) : null;
}

export interface SigningKey {
  keyId: string;
  privateKey: KeyObject;
}

/**
 * The hall's signing key for this portal's KEK, created (and committed with the caller's
 * transaction) when there is none. Portals racing to create it agree: the partial unique index
 * lets one insert win, the others read the winner's row.
 */
export async function signingKeyFor(client: pg.PoolClient, hallId: string, kek: CertificateKek): Promise<SigningKey> {
  let row = await activeKeyRow(client, hallId, kek);
  if (!row) {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const spki = publicKey.export({ format: 'der', type: 'spki' });
    const keyId = keyIdOf(spki);
    const inserted = await client.query(
      `INSERT INTO hall_signing_keys (hall_id, key_id, public_key, private_key_sealed, kek_id)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (hall_id, kek_id) WHERE retired_at IS NULL DO NOTHING`,
      [hallId, keyId, spki, sealSigningKey(kek, hallId, keyId, privateKey), kek.id],
    );
    if (inserted.rowCount === 1) return { keyId, privateKey };
    row = await activeKeyRow(client, hallId, kek);
    if (!row) throw new PortalError(PortalErrorCode.Internal, 'no signing key after creating one');
  }
  const privateKey = openSigningKey(kek, hallId, row.key_id, row.private_key_sealed);
  // Sealed by this KEK (kek_id matches) and yet it does not open: the row was altered.
  if (!privateKey) throw new PortalError(PortalErrorCode.Internal, `signing key ${row.key_id} does not open: its sealed copy was altered`);
  return { keyId: row.key_id, privateKey };
}

const PublicRow = z.object({ key_id: z.string(), public_key: z.instanceof(Buffer) });

/** Every key the hall ever signed with (retired ones too: what they signed still verifies), oldest first. */
export async function certificateKeysOf(db: pg.Pool | pg.PoolClient, hallId: string): Promise<CertificateKey[]> {
  const result = await db.query('SELECT key_id, public_key FROM hall_signing_keys WHERE hall_id = $1 ORDER BY created_at, key_id', [hallId]);
  return result.rows.map((raw) => {
    const row = PublicRow.parse(raw);
    return { keyId: row.key_id, publicKey: row.public_key.toString('base64') };
  });
}
