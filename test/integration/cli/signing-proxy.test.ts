/**
 * `tributary proxy`: what reaches the deployed API must carry a valid SigV4 signature. An
 * upstream server records each request as received; the signature is then recomputed from
 * those bytes with the AWS SDK's signer and the same credentials, and must match.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../host/local-paths.ts';
import { freePort } from '../../support/local-host-process.ts';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const credentials = { accessKeyId: 'AKIDEXAMPLETRIBUTARY', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session-token-example' };
const region = 'eu-west-1';

/** Recomputes the Authorization header from the request as the upstream received it. */
async function expectedAuthorization(r: Received): Promise<string> {
  const url = new URL(r.url, `http://${r.headers.host}`);
  const query: Record<string, string[]> = {};
  url.searchParams.forEach((v, k) => (query[k] = [...(query[k] ?? []), v]));
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(String(r.headers.authorization))?.[1]?.split(';') ?? [];
  const headers: Record<string, string> = {};
  // The payload hash is recomputed from the body received, never taken from the request.
  for (const h of signedHeaders) if (h !== 'x-amz-content-sha256') headers[h] = String(r.headers[h]);
  const request = new HttpRequest({ method: r.method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query, headers, ...(r.body.length ? { body: r.body.toString() } : {}) });
  const amzDate = String(r.headers['x-amz-date']);
  const signingDate = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
  const signer = new SignatureV4({ service: 'execute-api', region, credentials, sha256: Sha256 });
  const signed = await signer.sign(request, { signingDate });
  return signed.headers.authorization ?? '';
}

describe('tributary proxy signs what it forwards', () => {
  const received: Received[] = [];
  let upstream: Server;
  let proxy: ChildProcess;
  let proxyUrl: string;

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(req.url?.includes('missing') ? 404 : 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(req.url?.includes('missing') ? { error_code: 404, message: 'Connector missing not found' } : { ok: true }));
      });
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
    const base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/prod`;
    const port = await freePort();
    proxyUrl = `http://127.0.0.1:${port}`;
    // Credentials reach the proxy through the standard chain (here: the environment).
    proxy = spawn(process.execPath, [join(projectRoot, 'cli', 'tributary.mjs'), '--url', base, '--aws-region', region, 'proxy', '--port', String(port)], {
      env: { ...process.env, AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey, AWS_SESSION_TOKEN: credentials.sessionToken, AWS_PROFILE: '', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      proxy.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Proxying')) resolve();
      });
      proxy.stderr?.on('data', (d: Buffer) => (out += d.toString()));
      proxy.once('exit', (code) => reject(new Error(`proxy exited ${code}: ${out}`)));
    });
  });

  afterAll(async () => {
    proxy?.kill('SIGTERM');
    await new Promise<void>((r) => upstream.close(() => r()));
  });

  it('GET with a query: forwarded under the stage path with a valid signature and the session token', async () => {
    const res = await fetch(`${proxyUrl}/connectors?expand=status&expand=info`, { headers: { authorization: 'Bearer must-not-pass' } });
    expect(res.status).toBe(200);
    const r = received.at(-1)!;
    expect(r.url).toBe('/prod/connectors?expand=status&expand=info');
    expect(r.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLETRIBUTARY\/\d{8}\/eu-west-1\/execute-api\/aws4_request/);
    expect(r.headers['x-amz-security-token']).toBe(credentials.sessionToken);
    expect(r.headers.authorization).toBe(await expectedAuthorization(r));
  });

  it('PUT with a JSON body and an encoded name: the body is covered by the signature', async () => {
    const body = JSON.stringify({ 'connector.class': 'FileStreamSink', topics: 't', file: '/tmp/x' });
    const res = await fetch(`${proxyUrl}/connectors/a%20b/config`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(200);
    const r = received.at(-1)!;
    expect(r.method).toBe('PUT');
    expect(r.body.toString()).toBe(body);
    expect(r.headers.authorization).toBe(await expectedAuthorization(r));
    // A signature over another body would not match: the check can fail.
    expect(await expectedAuthorization({ ...r, body: Buffer.from(`${body} `) })).not.toBe(r.headers.authorization);
  });

  it('passes the upstream error status and Connect error body through unchanged', async () => {
    const res = await fetch(`${proxyUrl}/connectors/missing`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error_code: 404, message: 'Connector missing not found' });
  });
});
