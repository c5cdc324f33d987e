import { createServer } from 'node:net';

/**
 * A TCP port on 127.0.0.1 that was free a moment ago, for a server process to listen on (the
 * benches' and the tests' spawned servers: tests/support/server-process.ts re-exports it). Lives
 * under bench/ because the build (tsconfig.build.json) compiles bench/ and not tests/.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
