/** Small TCP helpers for launchers: a free port, is something listening, and waiting until it is. */
import { connect, createServer } from 'node:net';

/** A port nothing listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}


export function isPortOpen(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = connect({ port, host });
    const done = (open: boolean) => {
      socket.destroy();
      resolvePromise(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Resolves once the port accepts connections; rejects after `timeoutMs` or when `abort` says so. */
export async function waitForPort(
  port: number,
  { host = '127.0.0.1', timeoutMs = 60_000, abort }: { host?: string; timeoutMs?: number; abort?: () => string | undefined } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const reason = abort?.();
    if (reason) throw new Error(reason);
    if (await isPortOpen(port, host)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Nothing listened on ${host}:${port} within ${timeoutMs} ms`);
}

/** Parses `host:port` from the first entry of a bootstrap list. */
export function firstHostPort(servers: string): { host: string; port: number } {
  const first = servers.split(',')[0]?.trim() ?? '';
  const idx = first.lastIndexOf(':');
  return { host: first.slice(0, idx), port: Number(first.slice(idx + 1)) };
}
