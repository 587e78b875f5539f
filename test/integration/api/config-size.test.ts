/**
 * Configs up to Connect's practical size (1 MiB of JSON) are kept, split across DynamoDB
 * items; beyond, a 413 states the limit and nothing is written.
 * Regression: a 900 kB value or 30,000 keys answered 503 "store unavailable" (item > 400 KB).
 */
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MAX_CONFIG_BYTES } from '../../../lib/store/large-config-items.ts';
import { uniqueName } from '../../support/local-host-process.ts';
import { testRegistry } from '../../unit/api/secret-plugin.ts';
import { inProcessApi, type InProcessApi } from './in-process-api.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');

describe('large connector configs', () => {
  let api: InProcessApi;
  const client = new DynamoDBClient({ endpoint: dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const source = (name: string, extra: Record<string, string> = {}): Record<string, string> => ({ 'connector.class': 'FileStreamSource', topic: 'config-size', file: '/tmp/tributary-config-size.txt', name, ...extra });
  const sortKeys = async (name: string) => {
    const out = await client.send(new QueryCommand({ TableName: api.store.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: `CONNECTOR#${name}` } }, ConsistentRead: true }));
    return (out.Items ?? []).map((i) => String(unmarshall(i).sk)).sort();
  };

  beforeAll(async () => {
    api = await inProcessApi({ kafkaBootstrap, dynamoEndpoint, registry: testRegistry() });
  });

  afterAll(async () => {
    client.destroy();
    await api?.close();
  });

  it('regression (503 store unavailable): a 900 kB value is stored, read back whole, shrunk, and deleted without leftovers', async () => {
    const name = uniqueName('big-value');
    const big = source(name, { padding: 'ü'.repeat(450_000) });
    const created = await api.call('POST', '/connectors', { name, config: big });
    expect(created.status, created.text.slice(0, 300)).toBe(201);
    expect((await api.call('GET', `/connectors/${name}/config`)).body).toEqual(big);
    expect(await sortKeys(name)).toEqual(expect.arrayContaining(['CONFIG', 'CONFIG#PART#00', 'CONFIG#PART#01', 'CONFIG#PART#02', 'TASKS', 'TASKS#PART#00']));
    expect((await api.store.getState(name))?.tasks?.configs[0]?.padding).toBe(big.padding);

    // Stop, resume and a restart keep the config where it is.
    expect((await api.call('PUT', `/connectors/${name}/stop`)).status).toBe(204);
    expect((await api.call('PUT', `/connectors/${name}/resume`)).status).toBe(202);
    expect((await api.call('GET', `/connectors/${name}/config`)).body).toEqual(big);
    expect((await api.store.getState(name))?.tasks?.configs).toHaveLength(1);

    const small = source(name, { padding: 'x' });
    expect((await api.call('PUT', `/connectors/${name}/config`, small)).status).toBe(200);
    expect((await api.call('GET', `/connectors/${name}/config`)).body).toEqual(small);
    expect((await sortKeys(name)).filter((k) => k.includes('#PART#'))).toEqual([]);

    expect((await api.call('PATCH', `/connectors/${name}/config`, { padding: 'y'.repeat(600_000) })).status).toBe(200);
    expect(((await api.call('GET', `/connectors/${name}/config`)).body as Record<string, string>).padding).toHaveLength(600_000);
    expect((await api.call('DELETE', `/connectors/${name}`)).status).toBe(204);
    expect((await sortKeys(name)).filter((k) => !k.includes('#LEASE'))).toEqual([]);
  });

  it('regression (503 store unavailable): a config of 30,000 keys is stored and read back', async () => {
    const name = uniqueName('many-keys');
    const extra: Record<string, string> = {};
    for (let i = 0; i < 30_000; i++) extra[`key.${i}`] = `value-${i}`;
    const config = source(name, extra);
    const created = await api.call('POST', '/connectors', { name, config });
    expect(created.status, created.text.slice(0, 300)).toBe(201);
    expect(Object.keys((await api.call('GET', `/connectors/${name}/config`)).body)).toHaveLength(Object.keys(config).length);
  });

  it('a config merged past the limit is a 413 that states it, and the stored config is unchanged', async () => {
    const name = uniqueName('too-big');
    const config = source(name, { a: 'a'.repeat(700_000) });
    expect((await api.call('POST', '/connectors', { name, config })).status).toBe(201);
    const res = await api.call('PATCH', `/connectors/${name}/config`, { b: 'b'.repeat(700_000) });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error_code: 413, message: expect.stringContaining(`up to ${MAX_CONFIG_BYTES} bytes`) });
    expect((await api.call('GET', `/connectors/${name}/config`)).body).toEqual(config);
  });
});
