/**
 * An unsigned local port in front of a deployed Tributary: each request is signed with SigV4
 * (or given the context's bearer token) and forwarded, so kcctl, Terraform's kafka-connect
 * provider, Kafbat UI and curl work unchanged against an IAM-protected API Gateway.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RequestSigner } from './aws-signer.ts';
import type { CliContext } from './cli-context.ts';

/** Headers that describe one hop, not the request: never forwarded (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'content-length']);

export interface SigningProxy {
  readonly url: string;
  close(): Promise<void>;
}

export interface ProxyOptions {
  readonly context: CliContext;
  readonly port: number;
  readonly host?: string;
  /** For tests: the signer to use instead of one from the default credential chain. */
  readonly signer?: RequestSigner;
  readonly log?: (line: string) => void;
}

export async function startSigningProxy(o: ProxyOptions): Promise<SigningProxy> {
  const signer = o.signer ?? (o.context.aws ? new RequestSigner(o.context.aws) : undefined);
  const base = new URL(o.context.url);
  const basePath = base.pathname.replace(/\/+$/, '');
  const server: Server = createServer((req, res) => {
    forward(req, res).catch((e: unknown) => {
      o.log?.(`proxy: ${req.method} ${req.url} failed: ${(e as Error).message}`);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error_code: 502, message: `Tributary proxy could not reach ${base.origin}: ${(e as Error).message}` }));
    });
  });

  async function forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    // The request target is appended as sent; the upstream decides what it means.
    const target = new URL(base.origin);
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    target.pathname = basePath + (q < 0 ? raw : raw.slice(0, q));
    target.search = q < 0 ? '' : raw.slice(q);
    let headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k) && k !== 'authorization') headers[k] = Array.isArray(v) ? v.join(', ') : v;
    if (o.context.token) headers.authorization = `Bearer ${o.context.token}`;
    if (signer) headers = await signer.sign({ method: req.method ?? 'GET', url: target, headers, body });
    const upstream = await fetch(target, { method: req.method ?? 'GET', headers, ...(body.length ? { body } : {}), redirect: 'manual' });
    const out: Record<string, string> = {};
    upstream.headers.forEach((v, k) => {
      if (!HOP_BY_HOP.has(k) && k !== 'content-encoding') out[k] = v;
    });
    const payload = Buffer.from(await upstream.arrayBuffer());
    res.writeHead(upstream.status, { ...out, 'content-length': String(payload.length) });
    res.end(payload);
    o.log?.(`${req.method} ${raw} -> ${upstream.status}`);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${o.host ?? '127.0.0.1'}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
