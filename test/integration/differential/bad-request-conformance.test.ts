/**
 * Differential test of hostile request targets and bodies: each probe is sent byte for byte
 * to real Apache Kafka Connect 4.1.1 and to Tributary (as `npm start` runs it), and must get
 * the same status; the victim connector each side holds must come through untouched.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApacheConnect } from '../../support/apache-connect.ts';
import { freePort, startHostProcess, uniqueName } from '../../support/local-host-process.ts';
import { rawRequest, type RawResponse } from '../../support/raw-http.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');

interface Probe {
  readonly id: string;
  readonly method: string;
  /** `{victim}` is the victim connector's name. */
  readonly target: string;
  readonly body?: unknown;
  readonly raw?: Buffer | string;
  /** What Apache Kafka Connect 4.1.1 answers (checked on every run). */
  readonly apacheStatus: number;
  /** Where Tributary answers otherwise on purpose, and why (docs/rest-api.md lists these too). */
  readonly tributaryStatus?: number;
  readonly why?: string;
}

const fileSource = (topic: string, file: string, extra: Record<string, unknown> = {}) => ({ 'connector.class': 'FileStreamSource', topic, file, 'tasks.max': '1', ...extra });

function probes(topic: string, file: string): Probe[] {
  const cfg = (extra: Record<string, unknown> = {}) => fileSource(topic, file, extra);
  return [
    { id: 'GET //', method: 'GET', target: '//', apacheStatus: 400 },
    { id: 'GET ///', method: 'GET', target: '///', apacheStatus: 400 },
    { id: 'GET /\\', method: 'GET', target: '/\\', apacheStatus: 400 },
    { id: 'GET //:8083/connectors', method: 'GET', target: '//:8083/connectors', apacheStatus: 400 },
    { id: 'GET //connectors', method: 'GET', target: '//connectors', apacheStatus: 400 },
    { id: 'GET /connectors//', method: 'GET', target: '/connectors//', apacheStatus: 400 },
    { id: 'GET /connectors//{victim}', method: 'GET', target: '/connectors//{victim}', apacheStatus: 400 },
    { id: 'GET /connectors/{victim}//status', method: 'GET', target: '/connectors/{victim}//status', apacheStatus: 400 },
    { id: 'GET /connectors/{victim}/', method: 'GET', target: '/connectors/{victim}/', apacheStatus: 200 },
    { id: 'GET /connectors/./{victim}', method: 'GET', target: '/connectors/./{victim}', apacheStatus: 404 },
    { id: 'GET /connectors/%2e/{victim}', method: 'GET', target: '/connectors/%2e/{victim}', apacheStatus: 400 },
    { id: 'DELETE /connectors/nothere/.%2e/{victim}', method: 'DELETE', target: '/connectors/nothere/.%2e/{victim}', apacheStatus: 400 },
    { id: 'DELETE /connectors/nothere/../{victim}', method: 'DELETE', target: '/connectors/nothere/../{victim}', apacheStatus: 404 },
    { id: 'DELETE /connectors/nothere/%2E%2E/{victim}', method: 'DELETE', target: '/connectors/nothere/%2E%2E/{victim}', apacheStatus: 400 },
    { id: 'PUT /connectors/x/%2e%2e/{victim}/config', method: 'PUT', target: '/connectors/x/%2e%2e/{victim}/config', body: cfg(), apacheStatus: 400 },
    { id: 'PUT /connectors/x/%2e%2e/{victim}/pause', method: 'PUT', target: '/connectors/x/%2e%2e/{victim}/pause', apacheStatus: 400 },
    { id: 'GET /connectors/%2e%2e/connectors', method: 'GET', target: '/connectors/%2e%2e/connectors', apacheStatus: 400 },
    { id: 'GET /connectors/..', method: 'GET', target: '/connectors/..', apacheStatus: 404 },
    { id: 'GET /connectors/%2e%2e', method: 'GET', target: '/connectors/%2e%2e', apacheStatus: 400 },
    { id: 'GET /connectors/.', method: 'GET', target: '/connectors/.', apacheStatus: 404 },
    { id: 'GET /connectors/..%2F..%2Fadmin', method: 'GET', target: '/connectors/..%2F..%2Fadmin', apacheStatus: 400 },
    { id: 'GET /connectors/a%2Fb', method: 'GET', target: '/connectors/a%2Fb', apacheStatus: 400 },
    { id: 'GET /connectors/a%5Cb', method: 'GET', target: '/connectors/a%5Cb', apacheStatus: 400 },
    { id: 'GET /connectors/%zz', method: 'GET', target: '/connectors/%zz', apacheStatus: 400 },
    { id: 'GET /connectors/c%ED%A0%80', method: 'GET', target: '/connectors/c%ED%A0%80', apacheStatus: 400 },
    { id: 'GET /connectors/a%00b', method: 'GET', target: '/connectors/a%00b', apacheStatus: 400 },
    { id: 'GET /connectors;x=1', method: 'GET', target: '/connectors;x=1', apacheStatus: 200 },
    { id: 'GET /connectors?expand', method: 'GET', target: '/connectors?', apacheStatus: 200 },
    { id: 'GET http://host/connectors', method: 'GET', target: 'http://localhost/connectors', apacheStatus: 400 },
    { id: 'GET *', method: 'GET', target: '*', apacheStatus: 400 },
    { id: 'task -1 restart', method: 'POST', target: '/connectors/{victim}/tasks/-1/restart', apacheStatus: 404 },
    { id: 'task -1 status', method: 'GET', target: '/connectors/{victim}/tasks/-1/status', apacheStatus: 404 },
    { id: 'task 1 restart', method: 'POST', target: '/connectors/{victim}/tasks/1/restart', apacheStatus: 404 },
    { id: 'task +0 status', method: 'GET', target: '/connectors/{victim}/tasks/+0/status', apacheStatus: 404 },
    { id: 'task 00 status', method: 'GET', target: '/connectors/{victim}/tasks/00/status', apacheStatus: 404 },
    { id: 'tasks.max 1.0', method: 'POST', target: '/connectors', raw: `{"name":"tm1","config":${JSON.stringify(cfg()).replace('"tasks.max":"1"', '"tasks.max":1.0')}}`, apacheStatus: 400 },
    { id: 'tasks.max 1e0', method: 'POST', target: '/connectors', raw: `{"name":"tm2","config":${JSON.stringify(cfg()).replace('"tasks.max":"1"', '"tasks.max":1e0')}}`, apacheStatus: 400 },
    { id: 'tasks.max 1 (number)', method: 'PUT', target: '/connectors/tm3/config', raw: JSON.stringify(cfg()).replace('"tasks.max":"1"', '"tasks.max":1'), apacheStatus: 201 },
    { id: 'config name with spaces (POST)', method: 'POST', target: '/connectors', body: { name: 'sp1', config: cfg({ name: ' sp1 ' }) }, apacheStatus: 400 },
    { id: 'config name with spaces (PUT)', method: 'PUT', target: '/connectors/sp2/config', body: cfg({ name: ' sp2 ' }), apacheStatus: 400 },
    { id: 'name with spaces (POST)', method: 'POST', target: '/connectors', body: { name: ' sp3 ', config: cfg() }, apacheStatus: 201 },
    { id: 'lone surrogate name', method: 'POST', target: '/connectors', raw: `{"name":"c\\ud800","config":${JSON.stringify(cfg())}}`, apacheStatus: 201, tributaryStatus: 400, why: 'Connect stores the name as `c?` (another name than the one sent); Tributary refuses names that are not well-formed Unicode.' },
    { id: 'invalid UTF-8 in body', method: 'POST', target: '/connectors', raw: Buffer.concat([Buffer.from('{"name":"u'), Buffer.from([0xc3, 0x28]), Buffer.from(`","config":${JSON.stringify(cfg())}}`)]), apacheStatus: 500, tributaryStatus: 400, why: 'A body that is not UTF-8 is the client mistake; Connect lets the Jackson error escape as a 500.' },
    { id: 'name with DEL', method: 'POST', target: '/connectors', body: { name: 'd\u007f', config: cfg() }, apacheStatus: 400 },
    { id: 'name with C1 control', method: 'POST', target: '/connectors', body: { name: 'd\u0085', config: cfg() }, apacheStatus: 400 },
    { id: 'name with zero-width space', method: 'POST', target: '/connectors', body: { name: 'zw\u200b', config: cfg() }, apacheStatus: 201 },
    { id: 'offsets: extra top-level field', method: 'PATCH', target: '/connectors/{victim}/offsets', body: { offsets: [{ partition: { filename: file }, offset: { position: 1 } }], extra: 1 }, apacheStatus: 500, tributaryStatus: 400, why: 'Connect refuses the unknown field too, but lets the Jackson error escape as a 500.' },
    { id: 'offsets: 1e30 position', method: 'PATCH', target: '/connectors/{victim}/offsets', raw: `{"offsets":[{"partition":{"filename":${JSON.stringify(file)}},"offset":{"position":1e30}}]}`, apacheStatus: 500, tributaryStatus: 400, why: 'Connect refuses it with a 500 from FileStreamSourceConnector.alterOffsets; the client mistake is a 4xx.' },
    { id: 'offsets: negative position', method: 'PATCH', target: '/connectors/{victim}/offsets', body: { offsets: [{ partition: { filename: file }, offset: { position: -5 } }] }, apacheStatus: 500, tributaryStatus: 400, why: 'As above.' },
    { id: 'offsets: string position', method: 'PATCH', target: '/connectors/{victim}/offsets', body: { offsets: [{ partition: { filename: file }, offset: { position: 'x' } }] }, apacheStatus: 500, tributaryStatus: 400, why: 'As above.' },
    { id: 'offsets: wrong partition key', method: 'PATCH', target: '/connectors/{victim}/offsets', body: { offsets: [{ partition: { file }, offset: { position: 1 } }] }, apacheStatus: 500, tributaryStatus: 400, why: 'As above.' },
  ];
}

async function send(base: string, p: Probe, victim: string): Promise<RawResponse> {
  const target = p.target.split('{victim}').join(victim);
  const body = p.raw ?? (p.body === undefined ? undefined : JSON.stringify(p.body));
  return rawRequest(base, p.method, target, body);
}

describe('hostile requests: Tributary vs Apache Kafka Connect 4.1.1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bad-request-conformance-'));
  const topic = uniqueName('brc');
  const file = join(dir, 'input.txt');
  writeFileSync(file, 'a\nb\n');
  const list = probes(topic, file);
  const apache: RawResponse[] = [];
  const tributary: RawResponse[] = [];
  let apacheVictim: unknown;
  let tributaryVictim: unknown;

  async function runAll(base: string, out: RawResponse[]): Promise<unknown> {
    const victim = 'victim';
    const created = await rawRequest(base, 'POST', '/connectors', JSON.stringify({ name: victim, config: fileSource(topic, file) }));
    expect(created.status, created.text).toBe(201);
    expect((await rawRequest(base, 'PUT', `/connectors/${victim}/stop`)).status).toBe(204);
    for (const p of list) out.push(await send(base, p, victim).catch((e: unknown) => ({ status: -1, headers: {}, text: String(e), json: undefined })));
    const after = await rawRequest(base, 'GET', `/connectors/${victim}`);
    const names = await rawRequest(base, 'GET', '/connectors');
    return { status: after.status, config: (after.json as { config?: unknown })?.config, names: names.json };
  }

  beforeAll(async () => {
    const worker = await startApacheConnect({ bootstrapServers: kafkaBootstrap, workDir: join(dir, 'apache'), port: await freePort(), xmx: '512m' });
    try {
      apacheVictim = await runAll(worker.restUrl, apache);
    } finally {
      await worker.stop();
    }
    const host = await startHostProcess({ kafkaBootstrap, dynamoEndpoint, dataDir: join(dir, 'tributary'), tableName: uniqueName('brc') });
    try {
      tributaryVictim = await runAll(host.restUrl, tributary);
    } finally {
      await host.stop('SIGTERM');
    }
  }, 600_000);

  afterAll(() => {
    if (process.env.TRIBUTARY_PRINT_PROBES !== '1') return rmSync(dir, { recursive: true, force: true });
    const rows = list.map((p, i) => `${p.id.padEnd(48)} apache ${apache[i]?.status} ${JSON.stringify(apache[i]?.text.slice(0, 160))}\n${' '.repeat(48)} tribut ${tributary[i]?.status} ${JSON.stringify(tributary[i]?.text.slice(0, 160))}`);
    console.log(`\n${rows.join('\n')}\n${JSON.stringify({ apacheVictim, tributaryVictim })}`);
    rmSync(dir, { recursive: true, force: true });
  });

  describe('Apache Kafka Connect answers as recorded', () => {
    it.each(list.map((p, i) => [p.id, i] as const))('%s', (_id, i) => {
      expect(apache[i]?.status, apache[i]?.text.slice(0, 300)).toBe(list[i]!.apacheStatus);
    });
  });

  describe("Tributary answers with the same status, in Connect's error format", () => {
    it.each(list.map((p, i) => [p.id, i] as const))('%s', (_id, i) => {
      const res = tributary[i]!;
      expect(res.status, res.text.slice(0, 300)).toBe(list[i]!.tributaryStatus ?? list[i]!.apacheStatus);
      if (res.status >= 400) expect(res.json).toEqual({ error_code: res.status, message: expect.any(String) });
    });
  });

  it("leaves each side's victim connector untouched; Tributary stores the names Apache stores, but `c?`", () => {
    const a = apacheVictim as { status: number; config: unknown; names: string[] };
    const t = tributaryVictim as { status: number; config: unknown; names: string[] };
    expect(a.status).toBe(200);
    expect(t.status).toBe(200);
    expect(t.config).toEqual(a.config);
    expect([...t.names].sort()).toEqual(a.names.filter((n) => n !== 'c?').sort());
  });
});
