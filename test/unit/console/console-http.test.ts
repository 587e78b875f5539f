/** The local front serves the console's files without the API token, and everything else as before. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer } from '../../../host/http-server.ts';
import { fileAssetSource } from '../../../lib/console/file-asset-source.ts';
import { rawRequest } from '../../support/raw-http.ts';

describe('local front with the console', () => {
  let server: Server;
  let base: string;
  const calls: string[] = [];

  beforeAll(async () => {
    const ui = join(mkdtempSync(join(tmpdir(), 'tributary-console-http-')), 'ui');
    mkdirSync(ui);
    writeFileSync(join(ui, 'index.html'), '<!doctype html><title>console</title>');
    server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      token: 'secret',
      console: fileAssetSource(ui),
      handler: async (event) => {
        calls.push(event.path);
        return { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: '[]' };
      },
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('serves /ui without the token and keeps the API behind it', async () => {
    const page = await rawRequest(base, 'GET', '/ui/connectors/x');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('<title>console</title>');
    expect((await rawRequest(base, 'GET', '/connectors')).status).toBe(401);
    expect((await rawRequest(base, 'GET', '/connectors', undefined, { Authorization: 'Bearer secret' })).status).toBe(200);
    expect(calls).toEqual(['/connectors']);
  });

  it('refuses encoded dots and answers HEAD without a body, never reaching the API', async () => {
    expect((await rawRequest(base, 'GET', '/ui/%2e%2e/package.json')).status).toBe(400);
    const head = await fetch(`${base}/ui/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect(calls).toEqual(['/connectors']);
  });
});
