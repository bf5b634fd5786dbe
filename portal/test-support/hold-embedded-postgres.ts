/**
 * Test fixture: starts the embedded PostgreSQL and waits forever, so a test can SIGKILL this
 * process and leave an orphaned postmaster behind, as an unclean stop of the portal does.
 * Usage: node --import tsx hold-embedded-postgres.ts <dataDir> <port>
 */
import { startEmbeddedPostgres } from '../db/embedded.js';

const [dataDir, port] = process.argv.slice(2);
if (!dataDir || !port) throw new Error('usage: hold-embedded-postgres <dataDir> <port>');
const pg = await startEmbeddedPostgres({ dataDir, port: Number(port), unsafeNoFsync: true });
// The URL holds the superuser password: print the masked one.
process.stdout.write(`${JSON.stringify({ event: 'pg-ready', url: pg.displayUrl })}\n`);
setInterval(() => undefined, 60_000);
