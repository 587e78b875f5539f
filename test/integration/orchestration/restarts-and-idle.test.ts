/**
 * The task state machine on the local host: restarts under the restart budget, giving up
 * with the trace when it is spent, and an idle sink sleeping with a growing backoff that
 * still wakes within that backoff when data arrives.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createStore } from '../../../lib/store/store-factory.ts';
import { createTopics, testKafka } from '../../support/kafka-helpers.ts';
import { startHostProcess, uniqueName, type HostProcess } from '../../support/local-host-process.ts';
import { eventually, rest } from '../../support/rest-client.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');

interface TaskStatus {
  state: string;
  trace?: string;
}

describe('restart policy and idle backoff on the local host', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-orchestration-'));
  const tableName = uniqueName('orchestration');
  const kafka = testKafka(kafkaBootstrap);
  let host: HostProcess;

  beforeAll(async () => {
    host = await startHostProcess({ kafkaBootstrap, dynamoEndpoint, dataDir: join(dir, 'data'), tableName, env: { IDLE_SLICE_END_MS: '1000', IDLE_BACKOFF_MAX_MS: '8000' } });
  });

  afterAll(async () => {
    await kafka.close();
    await host?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('restarts a task that keeps failing at start until its budget is spent, then leaves it FAILED with the trace', async () => {
    const name = uniqueName('broken-sink');
    const created = await rest(host.restUrl, 'POST', '/connectors', {
      name,
      config: {
        'connector.class': 'FileStreamSink',
        file: join(dir, 'no-such-dir', 'out.txt'),
        topics: uniqueName('t'),
        'tributary.restart.max.per.hour': '3',
        'tributary.restart.backoff.initial.ms': '1000',
        'tributary.restart.backoff.max.ms': '2000',
      },
    });
    expect(created.status).toBe(201);
    const started = Date.now();
    await eventually(async () => (await rest<string[]>(host.restUrl, 'GET', '/tributary/executions')).body.every((e) => !e.startsWith(name)), {
      what: 'the execution to give up',
      timeoutMs: 60_000,
    });
    const elapsed = Date.now() - started;
    // Three restarts with waits of 1 s, 2 s and 2 s: the budget bounds both count and time.
    expect(elapsed).toBeGreaterThanOrEqual(4500);
    const task = (await rest<TaskStatus>(host.restUrl, 'GET', `/connectors/${name}/tasks/0/status`)).body;
    expect(task.state).toBe('FAILED');
    expect(task.trace).toMatch(/Couldn't find or create file/);
    const stored = await createStore({ tableName, endpoint: dynamoEndpoint }).getState(name);
    const status = stored?.taskStatuses.find((t) => t.id === 0);
    expect(status?.restarts).toHaveLength(3);
    expect(status?.lastRestart).toMatch(/restart budget spent: 3 restarts in the last hour/);
    // And it stays failed: nothing restarts it behind our back.
    await new Promise((r) => setTimeout(r, 4000));
    expect((await rest<TaskStatus>(host.restUrl, 'GET', `/connectors/${name}/tasks/0/status`)).body.state).toBe('FAILED');
  });

  it('lets an idle sink sleep with a growing backoff, and wakes it within that backoff when data arrives', async () => {
    const topic = uniqueName('quiet');
    await createTopics(kafka, [topic]);
    const file = join(dir, 'quiet.txt');
    const name = uniqueName('idle-sink');
    await rest(host.restUrl, 'POST', '/connectors', { name, config: { 'connector.class': 'FileStreamSink', file, topics: topic, 'tributary.idle.backoff.max.ms': '8000' } });
    const waits = () =>
      host
        .output()
        .split('\n')
        .filter((l) => l.includes('"Task idle"') && l.includes(name))
        .map((l) => (JSON.parse(l) as { waitSeconds: number }).waitSeconds);
    const seen = await eventually(async () => (waits().length >= 4 ? waits() : undefined), { what: 'four idle backoffs', timeoutMs: 60_000 });
    expect(seen.slice(0, 4)).toEqual([1, 2, 4, 8]);

    const sentAt = Date.now();
    await kafka.produce(topic, [{ value: JSON.stringify({ schema: { type: 'string', optional: false }, payload: 'wake up' }) }]);
    await eventually(async () => existsSync(file) && readFileSync(file, 'utf8') === 'wake up\n', { what: 'the record in the sink file', intervalMs: 100, timeoutMs: 30_000 });
    const latency = Date.now() - sentAt;
    console.log(`idle sink woke and delivered after ${latency} ms (backoff bound 8000 ms)`);
    // Within the longest backoff, plus the time to start a slice and fetch.
    expect(latency).toBeLessThan(8000 + 3000);
  });

  // Regression: middy's timeout timer overflowed on a Fargate-style slice's unbounded budget and failed it at once.
  it('runs a connector on a long-running (Fargate-style) runner and stops it on pause', async () => {
    const topic = uniqueName('steady');
    await createTopics(kafka, [topic]);
    const file = join(dir, 'steady.txt');
    const name = uniqueName('fargate-sink');
    await rest(host.restUrl, 'POST', '/connectors', { name, config: { 'connector.class': 'FileStreamSink', file, topics: topic, 'tributary.runner': 'fargate' } });
    const envelope = (s: string) => JSON.stringify({ schema: { type: 'string', optional: false }, payload: s });
    await kafka.produce(topic, [{ value: envelope('one') }]);
    await eventually(async () => existsSync(file) && readFileSync(file, 'utf8') === 'one\n', { what: 'the first record' });
    // One long slice, not a slice per idle period: no idle backoff is ever logged for it.
    await new Promise((r) => setTimeout(r, 3000));
    await kafka.produce(topic, [{ value: envelope('two') }]);
    await eventually(async () => readFileSync(file, 'utf8') === 'one\ntwo\n', { what: 'the second record', timeoutMs: 5000 });
    expect(host.output().split('\n').some((l) => l.includes('"Task idle"') && l.includes(name))).toBe(false);
    expect((await rest(host.restUrl, 'PUT', `/connectors/${name}/pause`)).status).toBe(202);
    await eventually(async () => (await rest<string[]>(host.restUrl, 'GET', '/tributary/executions')).body.every((e) => !e.startsWith(name)), { what: 'the long-running execution to end' });
    await kafka.produce(topic, [{ value: envelope('three') }]);
    await new Promise((r) => setTimeout(r, 2000));
    expect(readFileSync(file, 'utf8')).toBe('one\ntwo\n');
    expect((await rest<{ tasks: { state: string }[] }>(host.restUrl, 'GET', `/connectors/${name}/status`)).body.tasks[0]?.state).toBe('PAUSED');
  });
});
