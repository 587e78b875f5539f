/**
 * The walking skeleton on real components: REST → state machine → runner processes →
 * Kafka → runner → file, with resumes after SIGTERM of the host and SIGKILL of a runner.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { testKafka } from '../support/kafka-helpers.ts';
import { startHostProcess, uniqueName, type HostProcess } from '../support/local-host-process.ts';
import { eventually, rest } from '../support/rest-client.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');

interface Status {
  connector: { state: string; worker_id: string };
  tasks: { id: number; state: string; worker_id: string; trace?: string }[];
}

function lines(from: number, to: number): string {
  let s = '';
  for (let i = from; i <= to; i++) s += `line-${i} ${'x'.repeat(20)}\n`;
  return s;
}

function sinkLines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

describe('FileStream source and sink through the local stack', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-roundtrip-'));
  const dataDir = join(dir, 'data');
  const tableName = uniqueName('tributary-test');
  const source = join(dir, 'in.txt');
  const sink = join(dir, 'out.txt');
  const topic = uniqueName('lines');
  const src = uniqueName('file-source');
  const snk = uniqueName('file-sink');
  let host: HostProcess;
  const start = () => startHostProcess({ kafkaBootstrap, dynamoEndpoint, dataDir, tableName, env: { IDLE_BACKOFF_MAX_MS: '2000' } });
  const kafka = testKafka(kafkaBootstrap);

  beforeAll(async () => {
    writeFileSync(source, lines(1, 100));
    host = await start();
  });

  afterAll(async () => {
    await kafka.close();
    await host?.stop('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a FileStreamSource and a FileStreamSink with Apache\'s class names and options', async () => {
    const a = await rest(host.restUrl, 'POST', '/connectors', { name: src, config: { 'connector.class': 'FileStreamSource', file: source, topic } });
    expect(a.status).toBe(201);
    expect(a.headers.get('location')).toBe(`/connectors/${src}`);
    expect(a.body).toMatchObject({ name: src, type: 'source', tasks: [{ connector: src, task: 0 }] });
    const b = await rest(host.restUrl, 'POST', '/connectors', {
      name: snk,
      config: { 'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector', file: sink, topics: topic },
    });
    expect(b.status).toBe(201);
    expect(b.body).toMatchObject({ name: snk, type: 'sink' });
  });

  it('reports connector and task RUNNING with a worker_id', async () => {
    for (const name of [src, snk]) {
      const status = await eventually(
        async () => {
          const r = await rest<Status>(host.restUrl, 'GET', `/connectors/${name}/status`);
          return r.body.tasks[0]?.state === 'RUNNING' ? r.body : undefined;
        },
        { what: `${name} RUNNING` },
      );
      expect(status.connector.state).toBe('RUNNING');
      expect(status.connector.worker_id).toMatch(/\S/);
      expect(status.tasks[0]?.worker_id).toMatch(/runner/);
    }
  });

  it('moves the file\'s lines through the topic into the sink file, in order', async () => {
    await eventually(async () => sinkLines(sink).length >= 100, { what: '100 lines in the sink file' });
    appendFileSync(source, lines(101, 300));
    await eventually(async () => sinkLines(sink).length >= 300, { what: '300 lines in the sink file' });
    expect(sinkLines(sink)).toEqual(lines(1, 300).split('\n').filter(Boolean));
  });

  it('writes source offsets in Connect\'s offsets-topic format and sink offsets as group connect-<name>', async () => {
    const expectedKey = JSON.stringify([src, { filename: source }]);
    const record = await eventually(
      async () => {
        const seen = (await kafka.snapshot('connect-offsets')).map((m) => ({ key: String(m.key), value: m.value ? String(m.value) : null }));
        // The latest one, once the source committed the whole file (commits trail the data).
        const last = seen.filter((s) => s.key === expectedKey).pop();
        return last && JSON.parse(last.value ?? 'null')?.position === Buffer.byteLength(lines(1, 300)) ? last : undefined;
      },
      { what: 'the source offset record' },
    );
    expect(JSON.parse(record.value ?? 'null')).toEqual({ position: Buffer.byteLength(lines(1, 300)) });

    const committed = await eventually(
      async () => {
        const offsets = await kafka.committedOffsets(`connect-${snk}`, topic);
        return offsets.every((p) => p.offset === 300) ? offsets : undefined;
      },
      { what: 'the sink group to commit offset 300' },
    );
    expect(committed).toEqual([{ partition: 0, offset: 300 }]);
  });

  it('resumes both connectors after SIGTERM of the host without losing or duplicating a line', async () => {
    appendFileSync(source, lines(301, 2000));
    await eventually(async () => sinkLines(sink).length >= 1000, { what: 'some of the new lines to arrive' });
    expect(await host.stop('SIGTERM')).toBe(0);
    appendFileSync(source, lines(2001, 3000));
    host = await start();
    await eventually(async () => sinkLines(sink).length >= 3000, { what: '3000 lines after the restart', timeoutMs: 90_000 });
    await new Promise((r) => setTimeout(r, 2000));
    expect(sinkLines(sink)).toEqual(lines(1, 3000).split('\n').filter(Boolean));
  });

  it('recovers from SIGKILL of a runner process on its own, losing no line', async () => {
    const runners = (await rest<{ connector: string; pid: number }[]>(host.restUrl, 'GET', '/tributary/runners')).body;
    const victim = runners.find((r) => r.connector === src);
    expect(victim?.pid).toBeGreaterThan(0);
    appendFileSync(source, lines(3001, 5000));
    process.kill(victim?.pid as number, 'SIGKILL');
    // No API call restarted it: the restart policy re-ran it as a runner lost to the infrastructure,
    // not as a failure of the connector, and the task's status says so.
    type TaskBody = { state: string; tributary?: { restarts: string[]; infrastructure_restarts: string[]; last_restart: string } };
    const task = await eventually(
      async () => {
        const t = (await rest<TaskBody>(host.restUrl, 'GET', `/connectors/${src}/tasks/0/status`)).body;
        return t.state === 'RUNNING' && t.tributary?.infrastructure_restarts.length ? t : undefined;
      },
      { what: 'RUNNING again after a re-run' },
    );
    expect(task.tributary?.infrastructure_restarts.length).toBeGreaterThanOrEqual(1);
    expect(task.tributary?.restarts).toEqual([]);
    expect(task.tributary?.last_restart).toMatch(/re-run at once \(1 of 60 this hour.*SIGKILL/);
    await eventually(async () => new Set(sinkLines(sink)).size >= 5000, { what: 'all 5000 distinct lines', timeoutMs: 90_000 });
    const got = new Set(sinkLines(sink));
    for (const l of lines(1, 5000).split('\n').filter(Boolean)) expect(got.has(l)).toBe(true);
  });

  it('DELETE stops the tasks and removes the connectors', async () => {
    for (const name of [src, snk]) {
      expect((await rest(host.restUrl, 'DELETE', `/connectors/${name}`)).status).toBe(204);
      const gone = await rest<{ error_code: number; message: string }>(host.restUrl, 'GET', `/connectors/${name}`);
      expect(gone.status).toBe(404);
      expect(gone.body).toEqual({ error_code: 404, message: `Connector ${name} not found` });
    }
    expect((await rest<string[]>(host.restUrl, 'GET', '/connectors')).body).not.toContain(src);
    await eventually(async () => (await rest<unknown[]>(host.restUrl, 'GET', '/tributary/executions')).body.length === 0, { what: 'executions to end' });
    const before = sinkLines(sink).length;
    appendFileSync(source, lines(5001, 5100));
    await new Promise((r) => setTimeout(r, 3000));
    expect(sinkLines(sink).length).toBe(before);
  });
});
