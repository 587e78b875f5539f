/**
 * The HTTP sink through the whole local stack (REST → state machine → runner → Kafka → HTTP):
 * batched JSON arrays to a real local server that answers some requests 429 and 503, a
 * SIGKILL of the runner mid-stream with nothing lost, the response reports in Kafka, validate
 * errors per key, and a runtime failure that ends FAILED with its trace.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTopics } from '../../../support/kafka-helpers.ts';
import { uniqueName } from '../../../support/local-host-process.ts';
import { eventually, rest } from '../../../support/rest-client.ts';
import { CaptureHttpServer } from '../../../support/servers/capture-http-server.ts';
import { E2eHost, envSize, TopicReader } from '../jdbc-e2e/e2e-support.ts';
import { killRunner } from '../../../support/fault-helpers.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');
const RECORDS = envSize('TRIBUTARY_HTTP_E2E_RECORDS', 20_000);

interface ValidateResult {
  error_count: number;
  configs: { value: { name: string; errors: string[] } }[];
}
const errorsOf = (r: ValidateResult, key: string) => r.configs.find((c) => c.value.name === key)?.value.errors ?? [];

describe('HTTP sink end to end', () => {
  const host = new E2eHost(kafkaBootstrap, dynamoEndpoint);
  const reader = new TopicReader(kafkaBootstrap);
  const server = new CaptureHttpServer({ oauthClient: { id: 'tributary', secret: 's3cret', token: 'tok' } });
  const topic = uniqueName('http-in');
  const sink = uniqueName('http-sink');
  const failing = uniqueName('http-sink-failing');

  beforeAll(async () => {
    await server.start();
    await createTopics(reader.kafka, [topic], 2);
    for (let i = 0; i < RECORDS; i += 1000) {
      await reader.kafka.produce(topic, Array.from({ length: Math.min(1000, RECORDS - i) }, (_, j) => ({ key: `k${i + j}`, value: JSON.stringify({ id: i + j }) })));
    }
    await host.start();
  }, 120_000);

  afterAll(async () => {
    await host.deleteConnectors(sink, failing);
    await host.close();
    await server.close();
  });

  it(`delivers ${RECORDS} records in batches through 429s, 503s and a SIGKILL of the runner, losing none`, async () => {
    server.failEvery = 7;
    const created = await rest(host.url, 'POST', '/connectors', {
      name: sink,
      config: {
        'connector.class': 'io.confluent.connect.http.HttpSinkConnector',
        topics: topic,
        'http.api.url': `${server.url}/ingest/\${topic}`,
        'request.body.format': 'json',
        'batch.max.size': '100',
        'batch.json.as.array': 'true',
        'retry.backoff.ms': '20',
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'value.converter.schemas.enable': 'false',
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'reporter.result.topic.name': `${topic}-ok`,
        'tributary.restart.max.per.hour': '100',
      },
    });
    expect(created.status).toBe(201);
    const received = () => server.requests.reduce((n, r) => n + (JSON.parse(r.body) as unknown[]).length, 0);
    await eventually(async () => received() >= RECORDS / 3, { what: `a third of the records at the server`, timeoutMs: 120_000, intervalMs: 20 });
    expect(await killRunner(host.url, sink)).toBeDefined();

    const ids = new Map<number, number>();
    await eventually(
      async () => {
        ids.clear();
        for (const r of server.requests) for (const v of JSON.parse(r.body) as { id: number }[]) ids.set(v.id, (ids.get(v.id) ?? 0) + 1);
        return ids.size === RECORDS;
      },
      { what: `all ${RECORDS} ids at the server`, timeoutMs: 180_000, intervalMs: 500 },
    );
    const missing = Array.from({ length: RECORDS }, (_, i) => i).filter((i) => !ids.has(i));
    expect(missing).toEqual([]);
    expect(server.failures).toBeGreaterThan(0);
    expect(server.requests.every((r) => r.path === `/ingest/${topic}` && r.headers['content-type'] === 'application/json')).toBe(true);
    expect(Math.max(...server.requests.map((r) => (JSON.parse(r.body) as unknown[]).length))).toBe(100);
    const duplicated = [...ids.values()].reduce((n, c) => n + c - 1, 0);
    console.info(`HTTP sink e2e: ${RECORDS} records, ${server.requests.length} requests, ${server.failures} answered 429/503, ${duplicated} re-sent after the kill`);
    // Every sent record has its response in the result topic (re-sends included).
    expect(await reader.atLeast(`${topic}-ok`, RECORDS)).toBeGreaterThanOrEqual(RECORDS);
    server.failEvery = 0;
  }, 400_000);

  it('validate names the key at fault: unreachable URL, wrong OAuth2 secret, missing credentials', async () => {
    const closed = new CaptureHttpServer();
    await closed.start();
    const deadUrl = closed.url;
    await closed.close();
    const base = { 'connector.class': 'io.confluent.connect.http.HttpSinkConnector', name: 'v', topics: 't' };
    const validate = async (config: Record<string, string>) => (await rest<ValidateResult>(host.url, 'PUT', '/connector-plugins/HttpSinkConnector/config/validate', { ...base, ...config })).body;

    const ok = await validate({ 'http.api.url': `${server.url}/x` });
    expect(ok.error_count).toBe(0);
    const dead = await validate({ 'http.api.url': `${deadUrl}/x` });
    expect(errorsOf(dead, 'http.api.url').join()).toMatch(/unreachable.*ECONNREFUSED/);
    const oauth = { 'http.api.url': `${server.url}/x`, 'auth.type': 'OAUTH2', 'oauth2.token.url': `${server.url}/token`, 'oauth2.client.id': 'tributary' };
    expect((await validate({ ...oauth, 'oauth2.client.secret': 's3cret' })).error_count).toBe(0);
    expect(errorsOf(await validate({ ...oauth, 'oauth2.client.secret': 'wrong' }), 'oauth2.client.secret').join()).toMatch(/answered 401/);
    expect(errorsOf(await validate({ ...oauth, 'oauth2.client.secret': 'x', 'oauth2.token.url': `${deadUrl}/token` }), 'oauth2.token.url').join()).toMatch(/Cannot reach/);
    expect(errorsOf(await validate({ 'http.api.url': `${server.url}/x`, 'auth.type': 'BASIC' }), 'connection.user').join()).toMatch(/Missing required/);
    expect(errorsOf(await validate({ 'http.api.url': 'ftp://x/y' }), 'http.api.url').join()).toMatch(/http or https/);
    expect(errorsOf(await validate({ 'http.api.url': `${server.url}/x`, 'retry.on.status.codes': '4xx' }), 'retry.on.status.codes').join()).toMatch(/not a status code/);
  });

  it('a request that keeps failing fails the task with the status in its trace', async () => {
    const t = uniqueName('http-fail-in');
    await createTopics(reader.kafka, [t], 1);
    await reader.kafka.produce(t, [{ value: '{"id":1}' }]);
    server.failNext.push({ status: 503 }, { status: 503 }, { status: 503 });
    await rest(host.url, 'POST', '/connectors', {
      name: failing,
      config: { 'connector.class': 'HttpSinkConnector', topics: t, 'http.api.url': `${server.url}/fail`, 'value.converter': 'org.apache.kafka.connect.storage.StringConverter', 'max.retries': '2', 'retry.backoff.ms': '1', 'tributary.restart.policy': 'never' },
    });
    const trace = await eventually(
      async () => {
        const s = (await rest<{ tasks: { state: string; trace?: string }[] }>(host.url, 'GET', `/connectors/${failing}/status`)).body;
        return s.tasks?.[0]?.state === 'FAILED' ? s.tasks[0].trace : undefined;
      },
      { what: `${failing} to fail`, timeoutMs: 60_000 },
    );
    expect(trace).toMatch(/HttpRequestFailedError: POST .*\/fail answered 503/);
  });
});
