/**
 * Bad input against the real local host (as `npm start` runs it): the regressions of issue 11,
 * one by one, then a corpus of more than 400 bad requests across every endpoint. Every answer
 * is a 4xx in Connect's `{error_code, message}` format (or the success Connect gives a read),
 * never a 5xx, the host never goes down, and afterwards every DynamoDB item and every offset
 * is exactly as it was.
 */
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startHostProcess, uniqueName, type HostProcess } from '../../support/local-host-process.ts';
import { rawRequest, type RawResponse } from '../../support/raw-http.ts';
import { fuzzCorpus, type FuzzCase, type Seeds } from './fuzz-corpus.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');

describe('hostile and bad requests against the local host', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-fuzz-'));
  const table = uniqueName('fuzz');
  const seeds: Seeds = { source: uniqueName('fuzz-source'), sink: uniqueName('fuzz-sink'), file: join(dir, 'input.txt'), topic: uniqueName('fuzz') };
  const client = new DynamoDBClient({ endpoint: dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  let host: HostProcess;
  let before: Snapshot;
  const send = (method: string, target: string, body?: string | Buffer, headers?: Record<string, string>) => rawRequest(host.restUrl, method, target, body, headers);
  const json = (v: unknown) => JSON.stringify(v);
  const sourceConfig = { 'connector.class': 'FileStreamSource', topic: seeds.topic, file: seeds.file, 'tasks.max': '1' };

  interface Snapshot {
    readonly items: string;
    readonly offsets: unknown[];
    readonly expanded: unknown;
  }

  async function snapshot(): Promise<Snapshot> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, never> | undefined;
    do {
      const out = await client.send(new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: start }));
      for (const i of out.Items ?? []) items.push(unmarshall(i));
      start = out.LastEvaluatedKey as typeof start;
    } while (start);
    items.sort((a, b) => `${String(a.pk)}|${String(a.sk)}`.localeCompare(`${String(b.pk)}|${String(b.sk)}`));
    const offsets = [];
    for (const name of [seeds.source, seeds.sink]) offsets.push((await send('GET', `/connectors/${name}/offsets`)).json);
    return { items: JSON.stringify(items, (_k, v: unknown) => (v instanceof Set ? [...v].sort() : v)), offsets, expanded: (await send('GET', '/connectors?expand=status&expand=info')).json };
  }

  function expectConnectError(res: RawResponse, status?: number): void {
    if (status !== undefined) expect(res.status, res.text.slice(0, 300)).toBe(status);
    expect(res.status, res.text.slice(0, 300)).toBeGreaterThanOrEqual(400);
    expect(res.status, res.text.slice(0, 300)).toBeLessThan(500);
    expect(res.json).toEqual({ error_code: res.status, message: expect.stringMatching(/\S/) });
  }

  beforeAll(async () => {
    writeFileSync(seeds.file, 'a\nb\nc\n');
    host = await startHostProcess({ kafkaBootstrap, dynamoEndpoint, dataDir: join(dir, 'data'), tableName: table });
    const source = await send('POST', '/connectors', json({ name: seeds.source, config: sourceConfig, initial_state: 'STOPPED' }));
    expect(source.status, source.text).toBe(201);
    const offsets = await send('PATCH', `/connectors/${seeds.source}/offsets`, json({ offsets: [{ partition: { filename: seeds.file }, offset: { position: 2 } }] }));
    expect(offsets.status, offsets.text).toBe(200);
    const sink = await send('POST', '/connectors', json({ name: seeds.sink, config: { 'connector.class': 'FileStreamSink', topics: seeds.topic, file: join(dir, 'out.txt') }, initial_state: 'PAUSED' }));
    expect(sink.status, sink.text).toBe(201);
    before = await snapshot();
    expect(before.offsets[0]).toEqual({ offsets: [{ partition: { filename: seeds.file }, offset: { position: 2 } }] });
  }, 180_000);

  afterAll(async () => {
    await host?.stop();
    client.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('regressions of issue 11', () => {
    it('GET //, ///, /\\ and //:8083/connectors no longer take the whole local stack down', async () => {
      for (const target of ['//', '///', '/\\', '//:8083/connectors']) expectConnectError(await send('GET', target), 400);
      expect(host.child.exitCode).toBeNull();
      expect((await send('GET', '/connectors')).status).toBe(200);
    });

    it('encoded dot segments no longer reach another connector (delete, replace config, pause, list)', async () => {
      const victim = seeds.source;
      expectConnectError(await send('DELETE', `/connectors/nothere/.%2e/${victim}`), 400);
      expectConnectError(await send('PUT', `/connectors/x/%2e%2e/${victim}/config`, json({ ...sourceConfig, 'tasks.max': '2' })), 400);
      expectConnectError(await send('PUT', `/connectors/x/%2e%2e/${victim}/pause`), 400);
      expectConnectError(await send('GET', '/connectors/%2e%2e/connectors'), 400);
      expectConnectError(await send('DELETE', `/connectors/nothere/../${victim}`), 404);
      expect((await send('GET', `/connectors/${victim}/config`)).json).toEqual({ ...sourceConfig, name: victim });
      expect((await send('GET', `/connectors/${victim}/status`)).json).toMatchObject({ connector: { state: 'STOPPED' } });
    });

    it('a lone-surrogate name ("c\\ud800") is a 400 and nothing is stored (it was a 500, stored and undeletable)', async () => {
      expectConnectError(await send('POST', '/connectors', `{"name":"c\\ud800","config":${json(sourceConfig)}}`), 400);
      expect((await send('GET', '/connectors')).json).toEqual([seeds.source, seeds.sink].sort());
    });

    it('invalid UTF-8 in a body is a 400, not stored as U+FFFD', async () => {
      const body = Buffer.concat([Buffer.from('{"name":"utf'), Buffer.from([0xff, 0xfe]), Buffer.from(`","config":${json(sourceConfig)}}`)]);
      expectConnectError(await send('POST', '/connectors', body), 400);
      expect((await send('GET', '/connectors')).json).toEqual([seeds.source, seeds.sink].sort());
    });

    it('POST /connectors/{name}/tasks/-1/restart is a 404 (as Connect) and writes no status or lease for task -1', async () => {
      const res = await send('POST', `/connectors/${seeds.sink}/tasks/-1/restart`);
      expectConnectError(res, 404);
      expect((res.json as { message: string }).message).toBe(`Unknown task: ${seeds.sink}--1`);
      expect((await snapshot()).items).toBe(before.items);
    });

    it('PATCH offsets with {"position": 1e30} or an unknown top-level field is a 400, and the offsets stay', async () => {
      expectConnectError(await send('PATCH', `/connectors/${seeds.source}/offsets`, `{"offsets":[{"partition":{"filename":${json(seeds.file)}},"offset":{"position":1e30}}]}`), 400);
      expectConnectError(await send('PATCH', `/connectors/${seeds.source}/offsets`, json({ offsets: [{ partition: { filename: seeds.file }, offset: { position: 1 } }], extra: 1 })), 400);
      expect((await send('GET', `/connectors/${seeds.source}/offsets`)).json).toEqual(before.offsets[0]);
    });

    it('"tasks.max": 1.0 / 1e0 and a config name differing by surrounding spaces are a 400, as in Connect', async () => {
      const cfg = json(sourceConfig).slice(0, -1);
      expectConnectError(await send('POST', '/connectors', `{"name":"tm","config":${cfg},"tasks.max":1.0}}`), 400);
      expectConnectError(await send('PUT', '/connectors/tm/config', `${cfg},"tasks.max":1e0}`), 400);
      expectConnectError(await send('POST', '/connectors', json({ name: 'sp', config: { ...sourceConfig, name: ' sp ' } })), 400);
      expectConnectError(await send('PUT', '/connectors/sp/config', json({ ...sourceConfig, name: ' sp ' })), 400);
      expect((await send('GET', '/connectors')).json).toEqual([seeds.source, seeds.sink].sort());
    });
  });

  describe('the corpus', () => {
    let corpus: FuzzCase[] = [];
    const answers: RawResponse[] = [];

    beforeAll(async () => {
      corpus = fuzzCorpus(seeds);
      for (const c of corpus) answers.push(await send(c.method, c.target, c.body, c.headers));
    }, 300_000);

    it('has at least 400 requests across every endpoint', () => {
      expect(corpus.length).toBeGreaterThanOrEqual(400);
    });

    it('answers each with a 4xx in Connect\'s format, or the success Connect gives a read; never a 5xx', () => {
      const wrong: string[] = [];
      corpus.forEach((c, i) => {
        const res = answers[i]!;
        const readOnly = c.method === 'GET' || c.target.includes('/config/validate') || c.target.endsWith('/topics/reset');
        const fine = res.status < 300 ? readOnly : res.status < 500 && JSON.stringify(res.json) === JSON.stringify({ error_code: res.status, message: (res.json as { message?: unknown })?.message }) && typeof (res.json as { message?: unknown }).message === 'string';
        if (!fine) wrong.push(`${c.what}: ${c.method} ${c.target.slice(0, 80)} → ${res.status} ${res.text.slice(0, 200)}`);
      });
      expect(wrong).toEqual([]);
    });

    it('left every connector, config, status, item and offset exactly as it was, and the host up', async () => {
      expect(host.child.exitCode).toBeNull();
      const after = await snapshot();
      expect(after.expanded).toEqual(before.expanded);
      expect(after.offsets).toEqual(before.offsets);
      expect(after.items).toBe(before.items);
    });
  });
});
