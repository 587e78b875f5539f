/**
 * Racing requests against one connector on a real local host: whatever order they land in,
 * the store ends with exactly one of the configs, whole, and task configs of that same
 * generation. Losers either succeed in turn (the control plane re-applies them) or answer
 * Connect's 409; nothing in between.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startHostProcess, uniqueName, type HostProcess } from '../../support/local-host-process.ts';
import { eventually, rest, type RestResult } from '../../support/rest-client.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');

type Config = Record<string, string>;
interface TaskInfo {
  id: { connector: string; task: number };
  config: Config;
}
interface Status {
  connector: { state: string };
  tasks: { id: number; state: string }[];
}

const STALE = 'Cannot complete request momentarily due to stale configuration (typically caused by a concurrent config change)';

function expectConnectOutcome(results: readonly RestResult[], ok: readonly number[]): void {
  for (const r of results) {
    if (r.status === 409) expect(r.body).toEqual({ error_code: 409, message: expect.any(String) });
    else expect(ok, JSON.stringify(r.body)).toContain(r.status);
  }
}

describe('concurrent changes to one connector', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-concurrency-'));
  const topic = uniqueName('concurrency');
  let host: HostProcess;

  /** Config number i: its own file and a tasks.max of 1 to 3, so task configs show which generation they belong to. */
  const configOf = (name: string, i: number): Config => ({
    'connector.class': 'FileStreamSink',
    topics: topic,
    file: join(dir, `out-${i}.txt`),
    'tasks.max': String((i % 3) + 1),
    name,
  });

  /** The stored config is one of `sent`, whole, and the task configs are of its generation. */
  async function expectOneWholeConfig(name: string, sent: readonly Config[]): Promise<Config> {
    const stored = (await rest<Config>(host.restUrl, 'GET', `/connectors/${name}/config`)).body;
    const match = sent.find((c) => c.file === stored.file);
    expect(match, `stored file ${stored.file} is one of those sent`).toBeDefined();
    expect(stored).toEqual(match);
    const tasks = (await rest<TaskInfo[]>(host.restUrl, 'GET', `/connectors/${name}/tasks`)).body;
    expect(tasks).toHaveLength(Number(stored['tasks.max']));
    for (const t of tasks) expect(t.config.file).toBe(stored.file);
    const info = (await rest<{ config: Config; tasks: unknown[] }>(host.restUrl, 'GET', `/connectors/${name}`)).body;
    expect(info.config).toEqual(stored);
    expect(info.tasks).toHaveLength(tasks.length);
    return stored;
  }

  beforeAll(async () => {
    host = await startHostProcess({ kafkaBootstrap, dynamoEndpoint, dataDir: join(dir, 'data'), tableName: uniqueName('concurrency'), env: { IDLE_BACKOFF_MAX_MS: '2000' } });
  });

  afterAll(async () => {
    await host?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('50 concurrent PUT config: exactly one stored whole, with task configs of its generation', async () => {
    const name = uniqueName('racing');
    expect((await rest(host.restUrl, 'POST', '/connectors', { name, config: configOf(name, 1000) })).status).toBe(201);
    const sent = Array.from({ length: 50 }, (_, i) => configOf(name, i));
    const results = await Promise.all(sent.map((c) => rest(host.restUrl, 'PUT', `/connectors/${name}/config`, c)));
    expectConnectOutcome(results, [200]);
    expect(results.filter((r) => r.status === 200).length).toBeGreaterThan(0);
    for (const r of results.filter((x) => x.status === 409)) expect((r.body as { message: string }).message).toBe(STALE);
    const stored = await expectOneWholeConfig(name, sent);
    // Its tasks run, as many as the winning config asks for.
    await eventually(
      async () => {
        const s = (await rest<Status>(host.restUrl, 'GET', `/connectors/${name}/status`)).body;
        return s.tasks.length === Number(stored['tasks.max']) && s.tasks.every((t) => t.state === 'RUNNING') && s.connector.state === 'RUNNING';
      },
      { what: `${name} RUNNING with its tasks`, timeoutMs: 90_000 },
    );
  });

  it('20 concurrent PUT config of a new connector: one creates it (201), the others update it', async () => {
    const name = uniqueName('racing-create');
    const sent = Array.from({ length: 20 }, (_, i) => configOf(name, 100 + i));
    const results = await Promise.all(sent.map((c) => rest(host.restUrl, 'PUT', `/connectors/${name}/config`, c)));
    expectConnectOutcome(results, [200, 201]);
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    await expectOneWholeConfig(name, sent);
    expect((await rest<string[]>(host.restUrl, 'GET', '/connectors')).body.filter((n) => n === name)).toHaveLength(1);
  });

  it('20 concurrent POST of the same name: one 201, the others Connect\'s 409 "already exists"', async () => {
    const name = uniqueName('racing-post');
    const sent = Array.from({ length: 20 }, (_, i) => configOf(name, 200 + i));
    const results = await Promise.all(sent.map((c) => rest(host.restUrl, 'POST', '/connectors', { name, config: c })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 201)) expect(r.body).toEqual({ error_code: 409, message: `Connector ${name} already exists` });
    await expectOneWholeConfig(name, sent);
  });

  it('PUT config racing stop and pause: the connector ends in the last target state, consistent with its tasks', async () => {
    const name = uniqueName('racing-stop');
    expect((await rest(host.restUrl, 'POST', '/connectors', { name, config: configOf(name, 300) })).status).toBe(201);
    const sent = Array.from({ length: 15 }, (_, i) => configOf(name, 301 + i));
    const puts = sent.map((c) => rest(host.restUrl, 'PUT', `/connectors/${name}/config`, c));
    const stops = [rest(host.restUrl, 'PUT', `/connectors/${name}/pause`), rest(host.restUrl, 'PUT', `/connectors/${name}/stop`)];
    expectConnectOutcome(await Promise.all(puts), [200]);
    const [pause, stop] = await Promise.all(stops);
    expect(pause?.status).toBe(202);
    expect(stop?.status).toBe(204);
    // Whichever landed last, a second stop settles it; a stopped connector has no task configs.
    expect((await rest(host.restUrl, 'PUT', `/connectors/${name}/stop`)).status).toBe(204);
    const stored = (await rest<Config>(host.restUrl, 'GET', `/connectors/${name}/config`)).body;
    expect([configOf(name, 300), ...sent]).toContainEqual(stored);
    expect((await rest(host.restUrl, 'GET', `/connectors/${name}/tasks`)).body).toEqual([]);
    expect((await rest<Status>(host.restUrl, 'GET', `/connectors/${name}/status`)).body).toMatchObject({ connector: { state: 'STOPPED' }, tasks: [] });
    // Resuming plans the tasks of the stored config again.
    expect((await rest(host.restUrl, 'PUT', `/connectors/${name}/resume`)).status).toBe(202);
    await expectOneWholeConfig(name, [configOf(name, 300), ...sent]);
  });

  it('concurrent PATCHes all apply: each sets its own key', async () => {
    const name = uniqueName('racing-patch');
    expect((await rest(host.restUrl, 'POST', '/connectors', { name, config: configOf(name, 400), initial_state: 'PAUSED' })).status).toBe(201);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => rest(host.restUrl, 'PATCH', `/connectors/${name}/config`, { [`custom.key.${i}`]: String(i) })));
    expectConnectOutcome(results, [200]);
    const applied = results.filter((r) => r.status === 200).length;
    const stored = (await rest<Config>(host.restUrl, 'GET', `/connectors/${name}/config`)).body;
    expect(Object.keys(stored).filter((k) => k.startsWith('custom.key.'))).toHaveLength(applied);
  });
});
