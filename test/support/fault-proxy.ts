/**
 * A fault-injecting HTTP proxy for integration tests: it forwards requests to a real server
 * (S3Mock, ElasticMQ) and answers the ones its rule picks with an error of its own instead, so
 * a client sees genuine 503/500/403 answers on the wire.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Fault {
  readonly status: number;
  /** The error body (S3 answers XML `<Error><Code>…</Code></Error>`). */
  readonly body: string;
  readonly contentType?: string;
}

export const s3Fault = (status: number, code: string): Fault => ({
  status,
  body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code} injected by the test proxy</Message></Error>`,
  contentType: 'application/xml',
});

/** Decides per request: a fault to answer, or undefined to forward. */
export type FaultRule = (req: IncomingMessage) => Fault | undefined;

export interface FaultProxy {
  readonly url: string;
  /** Faults answered so far, as `<status> <method> <path>`. */
  readonly injected: string[];
  setRule(rule: FaultRule): void;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string, rule: FaultRule = () => undefined): Promise<FaultProxy> {
  const to = new URL(target);
  let current = rule;
  const injected: string[] = [];
  const server: Server = createServer((req, res) => {
    const fault = current(req);
    if (fault) {
      injected.push(`${fault.status} ${req.method} ${req.url}`);
      req.resume();
      res.writeHead(fault.status, { 'Content-Type': fault.contentType ?? 'text/plain', Connection: 'close' }).end(fault.body);
      return;
    }
    const upstream = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: { ...req.headers, host: to.host } }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', (e) => res.writeHead(502).end(String(e)));
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    injected,
    setRule: (r) => (current = r),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
