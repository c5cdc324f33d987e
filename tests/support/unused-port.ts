import { createServer } from 'node:net';

/** A 127.0.0.1 port nothing listens on (taken from the OS, then let go): where a service is down, or where a test starts one. */
export async function unusedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  const { port } = s.address() as { port: number };
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
