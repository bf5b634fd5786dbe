import net from 'node:net';

/**
 * A TCP port that was free on `host` a moment ago. PostgreSQL cannot be told "port 0", so tests
 * ask the OS for an ephemeral port, release it and hand the number on. The small race (another
 * process taking it in between) is acceptable for tests and local runs.
 */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen({ port: 0, host, exclusive: true }, () => {
      const address = probe.address();
      if (address === null || typeof address === 'string') {
        probe.close();
        reject(new Error('could not read the probe socket address'));
        return;
      }
      const { port } = address;
      probe.close((err) => (err ? reject(err) : resolve(port)));
    });
  });
}
