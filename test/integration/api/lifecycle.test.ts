/**
 * Connector lifecycle through the REST API of a real local host, as Apache Kafka Connect 4.x
 * answers it: initial states, pause/resume/stop, restarts, task states and traces, topics,
 * expand, loggers, health and delete.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startHostProcess, uniqueName, type HostProcess } from '../../support/local-host-process.ts';
import { eventually, rest } from '../../support/rest-client.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');

interface Instance {
  state: string;
  worker_id: string;
  version: string | null;
  trace?: string;
}
interface Status {
  name: string;
  connector: Instance;
  tasks: (Instance & { id: number })[];
  type: string;
}

describe('connector lifecycle through the REST API', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-lifecycle-'));
  const input = join(dir, 'in.txt');
  const topic = uniqueName('lifecycle');
  let host: HostProcess;
  const url = () => host.restUrl;
  const source = (name: string) => ({ 'connector.class': 'FileStreamSource', file: input, topic, name });
  const status = async (name: string) => (await rest<Status>(url(), 'GET', `/connectors/${name}/status`)).body;
  const until = (name: string, what: string, check: (s: Status) => boolean) =>
    eventually(
      async () => {
        const s = await status(name);
        return check(s) ? s : undefined;
      },
      { what: `${name} ${what}`, timeoutMs: 90_000 },
    );
  const running = (name: string, tasks = 1) => until(name, 'RUNNING', (s) => s.connector.state === 'RUNNING' && s.tasks.length === tasks && s.tasks.every((t) => t.state === 'RUNNING'));

  beforeAll(async () => {
    writeFileSync(input, 'one\ntwo\nthree\n');
    host = await startHostProcess({ kafkaBootstrap, dynamoEndpoint, dataDir: join(dir, 'data'), tableName: uniqueName('lifecycle'), env: { IDLE_BACKOFF_MAX_MS: '2000' } });
  });

  afterAll(async () => {
    await host?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('GET / and /health answer as Connect does', async () => {
    const root = await rest<{ version: string; commit: string; kafka_cluster_id: string }>(url(), 'GET', '/');
    expect(root.status).toBe(200);
    expect(root.body).toEqual({ version: expect.any(String), commit: expect.any(String), kafka_cluster_id: expect.stringMatching(/\S/) });
    expect(await rest(url(), 'GET', '/health')).toMatchObject({ status: 200, body: { status: 'healthy', message: expect.any(String) } });
  });

  it('initial_state PAUSED: PAUSED without tasks; resume plans and runs them', async () => {
    const name = uniqueName('paused');
    const created = await rest(url(), 'POST', '/connectors', { name, config: source(name), initial_state: 'PAUSED' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name, tasks: [], type: 'source' });
    expect(await status(name)).toMatchObject({ name, connector: { state: 'PAUSED', version: '4.1.1' }, tasks: [], type: 'source' });
    expect((await rest(url(), 'GET', `/connectors/${name}/tasks`)).body).toEqual([]);
    expect((await rest(url(), 'PUT', `/connectors/${name}/resume`)).status).toBe(202);
    await running(name);
    expect((await rest(url(), 'GET', `/connectors/${name}/tasks`)).body).toEqual([{ id: { connector: name, task: 0 }, config: expect.objectContaining({ file: input, topic }) }]);
  });

  it('initial_state STOPPED: STOPPED with tasks: []; offsets may be read; resume runs it', async () => {
    const name = uniqueName('stopped');
    expect((await rest(url(), 'POST', '/connectors', { name, config: source(name), initial_state: 'STOPPED' })).status).toBe(201);
    expect(await status(name)).toMatchObject({ connector: { state: 'STOPPED' }, tasks: [] });
    expect((await rest(url(), 'GET', `/connectors/${name}`)).body).toMatchObject({ name, tasks: [] });
    expect((await rest(url(), 'GET', `/connectors/${name}/offsets`)).body).toEqual({ offsets: [] });
    expect((await rest(url(), 'PUT', `/connectors/${name}/resume`)).status).toBe(202);
    await running(name);
  });

  describe('a running source', () => {
    const name = uniqueName('source');

    beforeAll(async () => {
      const created = await rest(url(), 'POST', '/connectors', { name, config: source(name) });
      expect(created.status).toBe(201);
      expect(created.headers.get('location')).toBe(`/connectors/${name}`);
      await running(name);
    });

    it('reports RUNNING instances with worker_id and version, and no trace', async () => {
      const s = await status(name);
      expect(s).toEqual({
        name,
        connector: { state: 'RUNNING', worker_id: expect.stringMatching(/\S/), version: '4.1.1' },
        tasks: [{ id: 0, state: 'RUNNING', worker_id: expect.stringMatching(/\S/), version: '4.1.1' }],
        type: 'source',
      });
      expect((await rest(url(), 'GET', `/connectors/${name}/tasks/0/status`)).body).toEqual(s.tasks[0]);
    });

    it('pause is idempotent (202) and pauses connector and tasks; resume too', async () => {
      expect((await rest(url(), 'PUT', `/connectors/${name}/pause`)).status).toBe(202);
      expect((await rest(url(), 'PUT', `/connectors/${name}/pause`)).status).toBe(202);
      expect(await status(name)).toMatchObject({ connector: { state: 'PAUSED' }, tasks: [{ id: 0, state: 'PAUSED' }] });
      expect((await rest(url(), 'PUT', `/connectors/${name}/resume`)).status).toBe(202);
      expect((await rest(url(), 'PUT', `/connectors/${name}/resume`)).status).toBe(202);
      await running(name);
    });

    it('restart answers 204 without flags and 202 with the instances it restarts shown RESTARTING', async () => {
      expect((await rest(url(), 'POST', `/connectors/${name}/restart`)).status).toBe(204);
      const withTasks = await rest<Status>(url(), 'POST', `/connectors/${name}/restart?includeTasks=true`);
      expect(withTasks.status).toBe(202);
      expect(withTasks.body).toMatchObject({ name, connector: { state: 'RESTARTING' }, tasks: [{ id: 0, state: 'RESTARTING' }] });
      await running(name);
      // Nothing failed: the plan is empty and the body shows the current states.
      const onlyFailed = await rest<Status>(url(), 'POST', `/connectors/${name}/restart?includeTasks=true&onlyFailed=true`);
      expect(onlyFailed.status).toBe(202);
      expect(onlyFailed.body).toMatchObject({ connector: { state: 'RUNNING' }, tasks: [{ id: 0, state: 'RUNNING' }] });
    });

    it('task restart answers 204, 404 for an unknown task or connector', async () => {
      expect((await rest(url(), 'POST', `/connectors/${name}/tasks/0/restart`)).status).toBe(204);
      expect(await rest(url(), 'POST', `/connectors/${name}/tasks/5/restart`)).toMatchObject({ status: 404, body: { error_code: 404, message: `Unknown task: ${name}-5` } });
      expect(await rest(url(), 'POST', '/connectors/nope/tasks/0/restart')).toMatchObject({ status: 404, body: { message: 'Unknown connector: nope' } });
      expect(await rest(url(), 'GET', `/connectors/${name}/tasks/5/status`)).toMatchObject({ status: 404, body: { message: `No status found for task ${name}-5` } });
      await running(name);
    });

    it('lists the topics it used; reset forgets them (202)', async () => {
      await eventually(async () => ((await rest<Record<string, { topics: string[] }>>(url(), 'GET', `/connectors/${name}/topics`)).body[name]?.topics ?? []).includes(topic), {
        what: `${name} topics`,
      });
      expect((await rest(url(), 'PUT', `/connectors/${name}/topics/reset`)).status).toBe(202);
      expect((await rest(url(), 'GET', `/connectors/${name}/topics`)).body).toEqual({ [name]: { topics: [] } });
      expect((await rest(url(), 'GET', '/connectors/nope/topics')).body).toEqual({ nope: { topics: [] } });
    });

    it('stop is idempotent (204): STOPPED with tasks: [] everywhere; restart of a stopped connector changes nothing', async () => {
      expect((await rest(url(), 'PUT', `/connectors/${name}/stop`)).status).toBe(204);
      expect((await rest(url(), 'PUT', `/connectors/${name}/stop`)).status).toBe(204);
      expect(await status(name)).toMatchObject({ connector: { state: 'STOPPED' }, tasks: [] });
      expect((await rest(url(), 'GET', `/connectors/${name}/tasks`)).body).toEqual([]);
      expect((await rest(url(), 'GET', `/connectors/${name}`)).body).toMatchObject({ tasks: [] });
      const restart = await rest<Status>(url(), 'POST', `/connectors/${name}/restart?includeTasks=true`);
      expect(restart).toMatchObject({ status: 202, body: { connector: { state: 'RESTARTING' }, tasks: [] } });
      expect(await status(name)).toMatchObject({ connector: { state: 'STOPPED' }, tasks: [] });
    });

    it('a config change while STOPPED is stored (200) and the connector stays STOPPED; resume re-plans its tasks', async () => {
      const put = await rest(url(), 'PUT', `/connectors/${name}/config`, { ...source(name), 'batch.size': '10' });
      expect(put).toMatchObject({ status: 200, body: { name, tasks: [] } });
      expect(await status(name)).toMatchObject({ connector: { state: 'STOPPED' }, tasks: [] });
      expect((await rest(url(), 'PUT', `/connectors/${name}/resume`)).status).toBe(202);
      await running(name);
      const tasks = (await rest<{ config: Record<string, string> }[]>(url(), 'GET', `/connectors/${name}/tasks`)).body;
      expect(tasks[0]?.config['batch.size']).toBe('10');
    });

    it('PATCH merges, a null removes a key, and the answer is the new info', async () => {
      const patched = await rest<{ config: Record<string, string> }>(url(), 'PATCH', `/connectors/${name}/config`, { 'batch.size': null, 'errors.log.enable': 'true' });
      expect(patched.status).toBe(200);
      expect(patched.body.config).toEqual({ ...source(name), 'errors.log.enable': 'true' });
      expect((await rest(url(), 'GET', `/connectors/${name}/config`)).body).toEqual({ ...source(name), 'errors.log.enable': 'true' });
    });

    it('expand=status&expand=info gives both per connector', async () => {
      const r = await rest<Record<string, { status?: Status; info?: { name: string } }>>(url(), 'GET', '/connectors?expand=status&expand=info');
      expect(r.status).toBe(200);
      expect(r.body[name]?.info).toMatchObject({ name, config: expect.objectContaining({ name }), tasks: [{ connector: name, task: 0 }], type: 'source' });
      expect(r.body[name]?.status).toMatchObject({ name, connector: { state: expect.any(String) } });
      const statusOnly = await rest<Record<string, Record<string, unknown>>>(url(), 'GET', '/connectors?expand=status');
      expect(Object.keys(statusOnly.body[name] ?? {})).toEqual(['status']);
    });
  });

  it('a task that cannot start is FAILED with a trace; onlyFailed restarts just it', async () => {
    const name = uniqueName('failing-sink');
    const config = { 'connector.class': 'FileStreamSink', topics: topic, file: join(dir, 'no-such-dir', 'out.txt'), 'tributary.restart.policy': 'never', name };
    expect((await rest(url(), 'POST', '/connectors', { name, config })).status).toBe(201);
    const failed = await until(name, 'task FAILED', (s) => s.tasks[0]?.state === 'FAILED');
    expect(failed.tasks[0]?.trace).toMatch(/no-such-dir/);
    expect(failed.connector.trace).toBeUndefined();
    expect((await rest(url(), 'GET', `/connectors/${name}/tasks/0/status`)).body).toMatchObject({ id: 0, state: 'FAILED', trace: expect.stringMatching(/\S/) });
    const restart = await rest<Status>(url(), 'POST', `/connectors/${name}/restart?includeTasks=true&onlyFailed=true`);
    expect(restart.status).toBe(202);
    expect(restart.body.connector.state).toBe('RUNNING');
    expect(restart.body.tasks[0]).toEqual({ id: 0, state: 'RESTARTING', worker_id: expect.any(String), version: '4.1.1' });
    await until(name, 'task FAILED again', (s) => s.tasks[0]?.state === 'FAILED');
  });

  it('/admin/loggers: list, read, set (200 with the loggers changed; 204 with scope=cluster)', async () => {
    const all = await rest<Record<string, { level: string; last_modified: number | null }>>(url(), 'GET', '/admin/loggers');
    expect(all.body.root).toEqual({ level: expect.any(String), last_modified: null });
    expect(await rest(url(), 'PUT', '/admin/loggers/org.example.a.b', { level: 'DEBUG' })).toMatchObject({ status: 200, body: ['org.example.a.b'] });
    expect(await rest(url(), 'PUT', '/admin/loggers/org.example', { level: 'warn' })).toMatchObject({ status: 200, body: ['org.example', 'org.example.a.b'] });
    expect((await rest(url(), 'GET', '/admin/loggers/org.example.a.b')).body).toEqual({ level: 'WARN', last_modified: expect.any(Number) });
    expect((await rest(url(), 'PUT', '/admin/loggers/org.example?scope=cluster', { level: 'INFO' })).status).toBe(204);
    expect(await rest(url(), 'GET', '/admin/loggers/org.unknown')).toMatchObject({ status: 404, body: { message: 'Logger org.unknown not found.' } });
  });

  it('DELETE answers 204, then the connector is gone everywhere', async () => {
    const name = uniqueName('deleted');
    expect((await rest(url(), 'POST', '/connectors', { name, config: source(name) })).status).toBe(201);
    await running(name);
    expect((await rest(url(), 'DELETE', `/connectors/${name}`)).status).toBe(204);
    expect((await rest<string[]>(url(), 'GET', '/connectors')).body).not.toContain(name);
    expect(await rest(url(), 'GET', `/connectors/${name}`)).toMatchObject({ status: 404, body: { error_code: 404, message: `Connector ${name} not found` } });
    expect(await rest(url(), 'GET', `/connectors/${name}/status`)).toMatchObject({ status: 404, body: { message: `No status found for connector ${name}` } });
    expect(await rest(url(), 'DELETE', `/connectors/${name}`)).toMatchObject({ status: 404 });
    // Created again under the same name, it starts afresh and runs.
    expect((await rest(url(), 'POST', '/connectors', { name, config: source(name) })).status).toBe(201);
    await running(name);
  });
});
