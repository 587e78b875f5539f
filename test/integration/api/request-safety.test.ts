/**
 * The API in process, on DynamoDB Local: property fuzzing of targets and bodies end to end
 * (every answer a 4xx in Connect's format or a read's success, nothing stored), a connector
 * stored under an ill-formed name by an older version can still be deleted, and a request
 * whose tasks cannot be started leaves nothing behind.
 */
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uniqueName } from '../../support/local-host-process.ts';
import { testRegistry } from '../../unit/api/secret-plugin.ts';
import { inProcessApi, type InProcessApi } from './in-process-api.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');

const client = new DynamoDBClient({ endpoint: dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

async function items(table: string): Promise<string> {
  const out: Record<string, unknown>[] = [];
  let start: Record<string, never> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: start }));
    for (const i of page.Items ?? []) out.push(unmarshall(i));
    start = page.LastEvaluatedKey as typeof start;
  } while (start);
  out.sort((a, b) => `${String(a.pk)}|${String(a.sk)}`.localeCompare(`${String(b.pk)}|${String(b.sk)}`));
  return JSON.stringify(out, (_k, v: unknown) => (v instanceof Set ? [...v].sort() : v));
}

const source = (name: string) => ({ 'connector.class': 'FileStreamSource', topic: 'request-safety', file: '/tmp/tributary-request-safety.txt', name });

afterAll(() => client.destroy());

describe('property fuzzing of the API, end to end', () => {
  let api: InProcessApi;
  const seed = uniqueName('seed');

  beforeAll(async () => {
    api = await inProcessApi({ kafkaBootstrap, dynamoEndpoint, registry: testRegistry() });
    expect((await api.call('POST', '/connectors', { name: seed, config: source(seed), initial_state: 'PAUSED' })).status).toBe(201);
  });

  afterAll(async () => {
    await api?.close();
  });

  const piece = fc.constantFrom('/', '//', '.', '..', '%2e', '%2E%2e', '%2f', '%5c', '\\', ';p', '%', '%zz', '%00', '%C2%85', '%ED%A0%80', 'connectors', 'config', 'status', 'tasks', 'restart', 'pause', 'resume', 'stop', 'offsets', 'topics', 'reset', 'connector-plugins', 'validate', 'admin', 'loggers', '-1', '0', 'x', '?expand=x', '?includeTasks=2');
  const target = fc.oneof(fc.array(piece, { minLength: 1, maxLength: 8 }).map((p) => `/${p.join('')}`), fc.array(piece, { maxLength: 8 }).map((p) => `/connectors/${p.join('/')}`), fc.string({ maxLength: 30 }));
  const body = fc.oneof(fc.constant(null), fc.json(), fc.string({ unit: 'binary', maxLength: 40 }), fc.jsonValue().map((v) => JSON.stringify({ name: 'fc', config: v })), fc.jsonValue().map((v) => JSON.stringify({ offsets: [v] })));
  const method = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS');

  it('answers any target and body with a 4xx in Connect\'s format or a read\'s success; nothing is stored', async () => {
    const before = await items(api.store.tableName);
    await fc.assert(
      fc.asyncProperty(method, target, body, async (m, t, b) => {
        const res = await api.raw(m, t, b);
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) {
          if (m !== 'HEAD') expect(res.body).toEqual({ error_code: res.status, message: expect.any(String) });
        } else {
          expect(['GET', 'HEAD', 'OPTIONS'].includes(m) || t.includes('validate') || t.endsWith('/reset')).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
    expect(await items(api.store.tableName)).toBe(before);
  });
});

describe('what a request leaves behind', () => {
  it('regression (stored yet undeletable): a connector stored under "c\\ud800" by an older version is deleted through its WTF-8 encoding', async () => {
    const api = await inProcessApi({ kafkaBootstrap, dynamoEndpoint, registry: testRegistry() });
    try {
      const name = 'c\ud800';
      await api.store.createConnector({ name, config: source(name), type: 'source', targetState: 'PAUSED', taskConfigs: [], workerId: 'older-version' });
      expect(await api.control.list()).toEqual([name]);
      expect((await api.raw('GET', '/connectors/c%ED%A0%80')).status).toBe(400);
      expect((await api.raw('DELETE', '/connectors/c%ED%A0%80')).status).toBe(204);
      expect(await api.control.list()).toEqual([]);
    } finally {
      await api.close();
    }
  });

  it('a create, update or resume whose tasks cannot be started answers 500 and is taken back', async () => {
    let fail = false;
    const api = await inProcessApi({
      kafkaBootstrap,
      dynamoEndpoint,
      registry: testRegistry(),
      orchestrator: {
        startExecution: async () => {
          if (fail) throw new Error('Step Functions is down');
        },
      },
    });
    try {
      const name = uniqueName('rollback');
      fail = true;
      expect((await api.call('POST', '/connectors', { name, config: source(name) })).status).toBe(500);
      expect(await api.control.list()).toEqual([]);

      fail = false;
      expect((await api.call('POST', '/connectors', { name, config: source(name) })).status).toBe(201);
      fail = true;
      expect((await api.call('PUT', `/connectors/${name}/config`, { ...source(name), 'batch.size': '7' })).status).toBe(500);
      expect((await api.call('GET', `/connectors/${name}/config`)).body).toEqual(source(name));
      expect((await api.call('PATCH', `/connectors/${name}/config`, { 'batch.size': '8' })).status).toBe(500);
      expect((await api.call('GET', `/connectors/${name}/config`)).body).toEqual(source(name));

      fail = false;
      expect((await api.call('PUT', `/connectors/${name}/stop`)).status).toBe(204);
      fail = true;
      expect((await api.call('PUT', `/connectors/${name}/resume`)).status).toBe(500);
      expect((await api.call('GET', `/connectors/${name}/status`)).body).toMatchObject({ connector: { state: 'STOPPED' }, tasks: [] });
    } finally {
      await api.close();
    }
  });

  it('regression (a Secrets Manager reference was fetched twice per create): each secret is fetched once per request', async () => {
    const fetches: string[] = [];
    const api = await inProcessApi({
      kafkaBootstrap,
      dynamoEndpoint,
      registry: testRegistry(),
      configProviders: {
        secretsmanager: async (secretId, key, fetchOnce) => {
          const text = await fetchOnce(`secretsmanager:${secretId}`, async () => {
            fetches.push(secretId);
            return JSON.stringify({ file: '/tmp/tributary-request-safety.txt', topic: 'request-safety' });
          });
          return String((JSON.parse(text) as Record<string, string>)[key ?? '']);
        },
      },
    });
    try {
      const name = uniqueName('secret-fetch');
      const config = { 'connector.class': 'FileStreamSource', file: '${secretsmanager:db:file}', topic: '${secretsmanager:db:topic}', name };
      expect((await api.call('POST', '/connectors', { name, config })).status).toBe(201);
      expect(fetches).toEqual(['db']);
      expect((await api.call('GET', `/connectors/${name}/config`)).body).toEqual(config);
      expect((await api.store.getState(name))?.tasks?.configs[0]?.file).toBe('${secretsmanager:db:file}');
      expect((await api.call('PUT', `/connectors/${name}/config`, { ...config, 'batch.size': '5' })).status).toBe(200);
      expect(fetches).toEqual(['db', 'db']);
    } finally {
      await api.close();
    }
  });
});
