/**
 * The local API's optional bearer token (TRIBUTARY_API_TOKEN), standing in for API Gateway's
 * IAM authorization, and its loopback-only binding.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startHostProcess, uniqueName, type HostProcess } from '../../support/local-host-process.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');
const TOKEN = `test-token-${Math.random().toString(36).slice(2)}`;

describe('local API authorization', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-auth-'));
  let host: HostProcess;

  beforeAll(async () => {
    host = await startHostProcess({ kafkaBootstrap, dynamoEndpoint, dataDir: join(dir, 'data'), tableName: uniqueName('auth'), env: { TRIBUTARY_API_TOKEN: TOKEN } });
  });

  afterAll(async () => {
    await host?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 401 in Connect\'s error format without the token or with a wrong one', async () => {
    for (const headers of [{} as Record<string, string>, { Authorization: 'Bearer wrong' }, { Authorization: TOKEN }, { Authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` }]) {
      const res = await fetch(`${host.restUrl}/connectors`, { headers });
      expect(res.status).toBe(401);
      const body = (await res.json()) as { error_code: number; message: string };
      expect(body).toEqual({ error_code: 401, message: expect.any(String) });
      expect(body.message).not.toContain(TOKEN);
    }
    const write = await fetch(`${host.restUrl}/connectors`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'x', config: { 'connector.class': 'FileStreamSource', topic: 't' } }) });
    expect(write.status).toBe(401);
  });

  it('serves the API with the bearer token, and stored nothing for the refused requests', async () => {
    const res = await fetch(`${host.restUrl}/connectors`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([]);
  });

  it('listens on 127.0.0.1 only', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (!external) return; // no other interface on this machine
    await expect(fetch(`http://${external.address}:${host.port}/connectors`, { signal: AbortSignal.timeout(5000) })).rejects.toThrow();
  });
});
