/**
 * The HTTP sink task against a real local HTTP server: batching, URL templates, headers,
 * authentication, retries of 429/503 (honouring Retry-After) and behavior.on.error, with
 * reports written through the task's record writer.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HttpSinkTask } from '../../../../lib/connectors/http/http-sink-task.ts';
import type { SinkRecord } from '../../../../lib/plugins/connect-record.ts';
import type { RawKafkaRecord, SinkTaskContext } from '../../../../lib/plugins/plugin-types.ts';
import { CaptureHttpServer } from '../../../support/servers/capture-http-server.ts';

const record = (i: number, value: unknown = { id: i, name: `n${i}` }, topic = 'orders'): SinkRecord => ({
  topic,
  kafkaPartition: 0,
  kafkaOffset: i,
  key: `k${i}`,
  value,
});

function context(written: RawKafkaRecord[]): SinkTaskContext {
  return {
    configs: {},
    assignment: () => [],
    offset: () => {},
    requestCommit: () => {},
    recordWriter: () => ({ write: async (records) => void written.push(...records) }),
  };
}

describe('HTTP sink task on a real HTTP server', () => {
  let server: CaptureHttpServer;
  let task: HttpSinkTask;

  beforeEach(async () => {
    server = new CaptureHttpServer({ oauthClient: { id: 'tributary', secret: 's3cret', token: 'tok-123' } });
    await server.start();
    task = new HttpSinkTask();
  });
  afterEach(async () => {
    await task.stop();
    await server.close();
  });

  it('batches records per URL with prefix, suffix and separator, filling ${topic} and ${key}', async () => {
    task.start({ name: 'c', 'http.api.url': `${server.url}/in/\${topic}`, 'batch.max.size': '3', 'batch.prefix': '<', 'batch.suffix': '>', 'batch.separator': ';', 'request.body.format': 'json', headers: 'X-A:1|X-B: two' });
    await task.put([1, 2, 3, 4, 5].map((i) => record(i)));
    expect(server.requests.map((r) => [r.method, r.path, r.body])).toEqual([
      ['POST', '/in/orders', '<{"id":1,"name":"n1"};{"id":2,"name":"n2"};{"id":3,"name":"n3"}>'],
      ['POST', '/in/orders', '<{"id":4,"name":"n4"};{"id":5,"name":"n5"}>'],
    ]);
    expect(server.requests[0]?.headers['x-a']).toBe('1');
    expect(server.requests[0]?.headers['x-b']).toBe('two');
    expect(server.requests[0]?.headers['content-type']).toBe('application/json');

    const perKey = new HttpSinkTask();
    perKey.start({ name: 'c', 'http.api.url': `${server.url}/items/\${key}`, 'request.method': 'put', 'batch.max.size': '10', 'batch.json.as.array': 'true', 'request.body.format': 'json' });
    await perKey.put([record(7), { ...record(8), key: 'a b/c' }, record(7, { id: 7, name: 'again' })]);
    expect(server.requests.slice(2).map((r) => [r.method, r.path, r.body])).toEqual([
      ['PUT', '/items/k7', '[{"id":7,"name":"n7"},{"id":7,"name":"again"}]'],
      ['PUT', '/items/a%20b%2Fc', '[{"id":8,"name":"n8"}]'],
    ]);
  });

  it('sends strings as they are, skips tombstones by default and sends DELETE with behavior.on.null.values=delete', async () => {
    task.start({ name: 'c', 'http.api.url': `${server.url}/s/\${key}`, 'behavior.on.null.values': 'delete' });
    await task.put([record(1, 'plain text'), record(2, null), record(3, Buffer.from('bytes'))]);
    expect(server.requests.map((r) => [r.method, r.path, r.body])).toEqual([
      ['POST', '/s/k1', 'plain text'],
      ['DELETE', '/s/k2', ''],
      ['POST', '/s/k3', 'bytes'],
    ]);
    const ignoring = new HttpSinkTask();
    ignoring.start({ name: 'c', 'http.api.url': `${server.url}/t` });
    await ignoring.put([record(4, null)]);
    expect(server.requests).toHaveLength(3);
  });

  it('retries 429 after its Retry-After and 503 with backoff, then reports the response', async () => {
    const written: RawKafkaRecord[] = [];
    task.start({ name: 'conn', 'http.api.url': `${server.url}/r`, 'retry.backoff.ms': '10', 'reporter.bootstrap.servers': 'ignored:9092' }, context(written));
    server.failNext.push({ status: 429, retryAfter: '1' }, { status: 503 });
    const started = Date.now();
    await task.put([record(1)]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.failures).toBe(2);
    expect(server.requests).toHaveLength(1);
    expect(written.map((w) => [w.topic, w.key?.toString(), JSON.parse(w.value?.toString() ?? '')])).toEqual([['conn-success', 'k1', { ok: true, n: 1 }]]);
    expect(Object.fromEntries((written[0]?.headers ?? []).map((h) => [h.key, h.value?.toString()]))).toMatchObject({ input_record_topic: 'orders', input_record_offset: '1', status_code: '200' });
  });

  it('fails after max.retries with behavior.on.error=fail, naming the status', async () => {
    task.start({ name: 'c', 'http.api.url': `${server.url}/f`, 'retry.backoff.ms': '1', 'max.retries': '2' });
    server.failNext.push({ status: 503 }, { status: 503 }, { status: 503 });
    await expect(task.put([record(1)])).rejects.toThrow(/answered 503.*after 2 retries/);
    expect(server.requests).toHaveLength(0);
  });

  it('does not retry a status outside retry.on.status.codes; log and ignore go on and report the failed records', async () => {
    const written: RawKafkaRecord[] = [];
    task.start({ name: 'c', 'http.api.url': `${server.url}/l`, 'retry.on.status.codes': '500-', 'behavior.on.error': 'log', 'reporter.error.topic.name': 'errs', 'batch.max.size': '2' }, context(written));
    server.failNext.push({ status: 400 });
    await task.put([record(1), record(2), record(3)]);
    expect(server.failures).toBe(1);
    expect(server.requests.map((r) => r.body)).toEqual(['{"id":3,"name":"n3"}']);
    const errors = written.filter((w) => w.topic === 'errs');
    expect(errors.map((e) => e.key?.toString())).toEqual(['k1', 'k2']);
    expect(errors[0]?.value?.toString()).toMatch(/answered 400/);

    const ignoring = new HttpSinkTask();
    ignoring.start({ name: 'c', 'http.api.url': `${server.url}/i`, 'retry.on.status.codes': '500-', 'behavior.on.error': 'ignore' });
    server.failNext.push({ status: 404 });
    await ignoring.put([record(4)]);
    expect(server.requests).toHaveLength(1);
  });

  it('retries connection errors, then fails', async () => {
    const closed = new CaptureHttpServer();
    await closed.start();
    const url = closed.url;
    await closed.close();
    task.start({ name: 'c', 'http.api.url': url, 'retry.backoff.ms': '1', 'max.retries': '1' });
    await expect(task.put([record(1)])).rejects.toThrow(/ECONNREFUSED.*after 1 retries/);
  });

  it('authenticates with BASIC, BEARER and OAUTH2 client credentials (a 401 fetches a new token)', async () => {
    const basic = new CaptureHttpServer({ requireAuthorization: `Basic ${Buffer.from('u:p').toString('base64')}` });
    await basic.start();
    try {
      task.start({ name: 'c', 'http.api.url': basic.url, 'auth.type': 'BASIC', 'connection.user': 'u', 'connection.password': 'p' });
      await task.put([record(1)]);
      expect(basic.requests).toHaveLength(1);
      const wrong = new HttpSinkTask();
      wrong.start({ name: 'c', 'http.api.url': basic.url, 'auth.type': 'BASIC', 'connection.user': 'u', 'connection.password': 'nope', 'max.retries': '0' });
      await expect(wrong.put([record(2)])).rejects.toThrow(/answered 401/);
    } finally {
      await basic.close();
    }
    const bearer = new CaptureHttpServer({ requireAuthorization: 'Bearer abc' });
    await bearer.start();
    try {
      const t = new HttpSinkTask();
      t.start({ name: 'c', 'http.api.url': bearer.url, 'auth.type': 'BEARER', 'bearer.token': 'abc' });
      await t.put([record(1)]);
      expect(bearer.requests).toHaveLength(1);
    } finally {
      await bearer.close();
    }
    const oauth = new CaptureHttpServer({ requireAuthorization: 'Bearer tok-123', oauthClient: { id: 'tributary', secret: 's3cret', token: 'tok-123' } });
    await oauth.start();
    try {
      for (const mode of ['header', 'url']) {
        const t = new HttpSinkTask();
        t.start({ name: 'c', 'http.api.url': `${oauth.url}/api`, 'auth.type': 'OAUTH2', 'oauth2.token.url': `${oauth.url}/token`, 'oauth2.client.id': 'tributary', 'oauth2.client.secret': 's3cret', 'oauth2.client.auth.mode': mode });
        await t.put([record(1), record(2)]);
      }
      expect(oauth.requests).toHaveLength(4);
      expect(oauth.tokensIssued).toBe(2);
      const bad = new HttpSinkTask();
      bad.start({ name: 'c', 'http.api.url': `${oauth.url}/api`, 'auth.type': 'OAUTH2', 'oauth2.token.url': `${oauth.url}/token`, 'oauth2.client.id': 'tributary', 'oauth2.client.secret': 'wrong' });
      await expect(bad.put([record(3)])).rejects.toThrow(/token endpoint .* answered 401/);
    } finally {
      await oauth.close();
    }
  });
});
