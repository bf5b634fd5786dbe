import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { chmod, open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { EmbeddedPgError, EmbeddedPgErrorCode } from './embedded-pg-error.js';

/**
 * The superuser password of an embedded cluster: random per data folder, kept in a 0600 file
 * beside the cluster folder (initdb wants the folder itself empty), never printed. Clusters made
 * before this existed used a constant; the portal moves them to a generated password at start.
 */

/** The constant every cluster had before passwords were generated. Accepted once, to migrate. */
export const LEGACY_PG_PASSWORD = 'portal-local';

const PASSWORD_BYTES = 32;
const SCRAM_ITERATIONS = 4096;

/** `<dataDir>.password`: beside the cluster folder, not inside it. */
export function passwordFileFor(dataDir: string): string {
  const resolved = path.resolve(dataDir);
  return path.join(path.dirname(resolved), `${path.basename(resolved)}.password`);
}

/** 256 random bits, base64url: no character needs escaping in a connection URL. */
export function newPgPassword(): string {
  return randomBytes(PASSWORD_BYTES).toString('base64url');
}

/** The stored password, or null when there is no file yet. A file others can read is tightened. */
export async function readPgPassword(file: string): Promise<string | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const info = await stat(file);
  if (typeof process.getuid === 'function' && info.uid !== process.getuid()) {
    throw new EmbeddedPgError(EmbeddedPgErrorCode.PasswordFile, `${file} belongs to another user; remove it or fix its owner`);
  }
  if ((info.mode & 0o077) !== 0) await chmod(file, 0o600);
  const password = text.trim();
  if (password.length < 16) {
    throw new EmbeddedPgError(EmbeddedPgErrorCode.PasswordFile, `${file} does not hold a usable password`);
  }
  return password;
}

/**
 * Creates the file with a new password, 0600 from its first byte (the mode is given to open, so
 * there is no moment where it is readable by others), synced before the cluster learns it. If
 * another process created it first, that one's password wins.
 */
export async function createPgPasswordFile(file: string): Promise<string> {
  const password = newPgPassword();
  let handle;
  try {
    handle = await open(file, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      const existing = await readPgPassword(file);
      if (existing) return existing;
    }
    throw err;
  }
  try {
    await handle.writeFile(`${password}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return password;
}

/**
 * The SCRAM-SHA-256 verifier PostgreSQL stores for a password (RFC 5802/7677). `ALTER USER ...
 * PASSWORD '<verifier>'` sets the password without the plain text ever reaching the server, so
 * it cannot end up in its log (log_statement, or the statement echoed with an error).
 */
export function scramSha256Verifier(password: string, salt: Buffer = randomBytes(16)): string {
  // Our passwords are ASCII, which SASLprep leaves as it is.
  const salted = pbkdf2Sync(password, salt, SCRAM_ITERATIONS, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${SCRAM_ITERATIONS}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}
