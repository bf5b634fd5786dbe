/**
 * Preloaded (`--import`) into the servers child-process.ts starts. Their stdin is a pipe from
 * the parent that nobody writes to: it ends when the parent is gone, however it went (SIGKILL
 * included), and the child then stops as on SIGTERM, through its own handler (the portal stops
 * its PostgreSQL on the way out). Without this a killed demo or test would leave them running.
 */
process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));
process.stdin.on('error', () => process.kill(process.pid, 'SIGTERM'));
process.stdin.resume();
// Only a watch: it must not keep a child alive that has finished its work.
(process.stdin as { unref?: () => void }).unref?.();

export {};
