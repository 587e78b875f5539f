/**
 * The DynamoDB sink through the whole local stack on DynamoDB Local: validation errors per
 * key; upserts keyed by the record key with two SIGKILLs of the runner mid-stream, ending
 * with exactly the latest version of every item, structs/maps/arrays as M/L attributes, and
 * tombstones deleting their items.
 */
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EMULATOR_AWS_ENV } from '../../../../host/aws-emulator-launcher.ts';
import { createTopics } from '../../../support/kafka-helpers.ts';
import { runnerPid } from '../../../support/fault-helpers.ts';
import { uniqueName } from '../../../support/local-host-process.ts';
import { eventually, rest } from '../../../support/rest-client.ts';
import { E2eHost, envSize, TopicReader } from '../jdbc-e2e/e2e-support.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');
const ITEMS = envSize('TRIBUTARY_DYNAMODB_E2E_ITEMS', 2_000);

interface ValidateResult {
  error_count: number;
  configs: { value: { name: string; errors: string[] } }[];
}
const errorsOf = (r: ValidateResult, key: string) => r.configs.find((c) => c.value.name === key)?.value.errors ?? [];

const SCHEMA = {
  type: 'struct',
  name: 'customer',
  optional: false,
  fields: [
    { field: 'id', type: 'int64', optional: false },
    { field: 'name', type: 'string', optional: false },
    { field: 'version', type: 'int32', optional: false },
    { field: 'tags', type: 'array', items: { type: 'string', optional: false }, optional: true },
    { field: 'attrs', type: 'map', keys: { type: 'string', optional: false }, values: { type: 'int32', optional: false }, optional: true },
    { field: 'address', type: 'struct', optional: true, fields: [{ field: 'city', type: 'string', optional: false }, { field: 'zip', type: 'string', optional: true }] },
    { field: 'balance', type: 'bytes', optional: true, name: 'org.apache.kafka.connect.data.Decimal', version: 1, parameters: { scale: '2' } },
  ],
};

const message = (i: number, v: number) => ({
  key: `c${i}`,
  value: JSON.stringify({
    schema: SCHEMA,
    payload: { id: i, name: `customer-${i}-v${v}`, version: v, tags: [`t${i % 3}`, `v${v}`], attrs: { visits: i + v }, address: { city: `city-${i % 5}`, zip: null }, balance: Buffer.from([0x01, 0x00]).toString('base64') },
  }),
});

describe('DynamoDB sink through the local stack', () => {
  const host = new E2eHost(kafkaBootstrap, dynamoEndpoint);
  const reader = new TopicReader(kafkaBootstrap);
  const ddb = new DynamoDBClient({ endpoint: dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: EMULATOR_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: EMULATOR_AWS_ENV.AWS_SECRET_ACCESS_KEY } });
  const topic = uniqueName('ddb-customers');
  const names: string[] = [];

  const sinkConfig = (extra: Record<string, string> = {}) => ({
    'connector.class': 'io.confluent.connect.aws.dynamodb.DynamoDbSinkConnector',
    topics: topic,
    'aws.dynamodb.region': 'us-east-1',
    'aws.dynamodb.endpoint': dynamoEndpoint,
    'aws.dynamodb.pk.hash': 'key:id',
    'aws.dynamodb.pk.sort': '',
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'offset.flush.interval.ms': '500',
    'tributary.restart.max.per.hour': '100',
    ...extra,
  });

  beforeAll(async () => {
    await ddb.send(new CreateTableCommand({ TableName: topic, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] }));
    await createTopics(reader.kafka, [topic], 3);
    await host.start();
  }, 120_000);

  afterAll(async () => {
    await host.deleteConnectors(...names);
    await host.close();
    await ddb.send(new DeleteTableCommand({ TableName: topic })).catch(() => undefined);
    ddb.destroy();
  });

  it('validate names the key: a table that does not exist, a key that does not match the table, a bad reference', async () => {
    const validate = async (config: Record<string, string>) => (await rest<ValidateResult>(host.url, 'PUT', '/connector-plugins/DynamoDbSinkConnector/config/validate', { ...config, name: 'v' })).body;
    expect(errorsOf(await validate(sinkConfig({ 'table.name.format': 'missing_${topic}' })), 'table.name.format').join()).toMatch(/Table missing_.* does not exist/);
    expect(errorsOf(await validate(sinkConfig({ 'aws.dynamodb.pk.hash': 'value.customerId' })), 'aws.dynamodb.pk.hash').join()).toMatch(/has hash key id, not customerId/);
    expect(errorsOf(await validate(sinkConfig({ 'aws.dynamodb.pk.sort': 'offset' })), 'aws.dynamodb.pk.sort').join()).toMatch(/has no sort key/);
    expect(errorsOf(await validate(sinkConfig({ 'aws.dynamodb.pk.hash': 'header.id' })), 'aws.dynamodb.pk.hash').join()).toMatch(/expected partition, offset, key/);
    expect(errorsOf(await validate(sinkConfig({ 'aws.dynamodb.region': 'europe' })), 'aws.dynamodb.region').join()).toMatch(/not an AWS region name/);
    expect((await validate(sinkConfig())).error_count).toBe(0);
  });

  it(`${ITEMS.toLocaleString('en')} items upserted twice and every tenth deleted, with 2 SIGKILLs of the runner: the table holds exactly the latest`, async () => {
    const name = uniqueName('ddb-sink');
    names.push(name);
    const send = async (messages: { key: string; value: string | null }[]) => {
      for (let i = 0; i < messages.length; i += 500) await reader.kafka.produce(topic, messages.slice(i, i + 500));
    };
    const v1 = Array.from({ length: ITEMS }, (_, i) => message(i, 1));
    const v2 = Array.from({ length: ITEMS }, (_, i) => message(i, 2));
    const tombstones = Array.from({ length: ITEMS / 10 }, (_, j) => ({ key: `c${j * 10}`, value: null }));
    await send(v1);
    expect((await rest(host.url, 'POST', '/connectors', { name, config: sinkConfig({ 'tasks.max': '2' }) })).status).toBe(201);
    let last = -1;
    for (const next of [v2, tombstones]) {
      const victim = await runnerPid(host.url, name, 0, { other: last, timeoutMs: 120_000, intervalMs: 50 });
      await send(next);
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 300));
      process.kill(victim, 'SIGKILL');
      last = victim;
    }
    const scan = async () => {
      const items: Record<string, AttributeValue>[] = [];
      let start: Record<string, AttributeValue> | undefined;
      do {
        const r = await ddb.send(new ScanCommand({ TableName: topic, ExclusiveStartKey: start }));
        items.push(...(r.Items ?? []));
        start = r.LastEvaluatedKey;
      } while (start);
      return items;
    };
    const expected = ITEMS - ITEMS / 10;
    const items = await eventually(async () => {
      const all = await scan();
      return all.length === expected && all.every((it) => it.version?.N === '2') ? all : undefined;
    }, { what: `${expected} items at version 2`, timeoutMs: 240_000, intervalMs: 1000 });
    const byId = new Map(items.map((it) => [it.id?.S, it]));
    for (let i = 0; i < ITEMS; i++) expect(byId.has(`c${i}`), `c${i}`).toBe(i % 10 !== 0);
    expect(byId.get('c7')).toEqual({
      id: { S: 'c7' },
      name: { S: 'customer-7-v2' },
      version: { N: '2' },
      tags: { L: [{ S: 't1' }, { S: 'v2' }] },
      attrs: { M: { visits: { N: '9' } } },
      address: { M: { city: { S: 'city-2' }, zip: { NULL: true } } },
      balance: { N: '2.56' },
    });
  }, 600_000);
});
