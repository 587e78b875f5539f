/**
 * The synthesized cloud assembly as the system under test, on a real Kafka broker and
 * DynamoDB Local: every Lambda from its bundle in its own sandbox, the state machine from the
 * template, the API behind API Gateway-shaped proxy events, the template's rules and alarms
 * wired to the restarter, the Fargate runner from the image's contents. Every AWS call each
 * principal makes is recorded and checked against that principal's policies in the template.
 */
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uniqueName } from '../support/local-host-process.ts';
import { eventually, rest } from '../support/rest-client.ts';
import { startAssemblyHost, type AssemblyHost } from './support/assembly-host.ts';
import { deniedCalls, unusedGrants } from './support/iam-policies.ts';
import { UNUSED_GRANTS_JUSTIFIED } from './unused-grants.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');

interface Status {
  connector: { state: string; worker_id: string };
  tasks: { id: number; state: string; worker_id: string; trace?: string }[];
}

const lines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `line-${from + i}\n`).join('');
const sinkLines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);

describe('the cloud assembly, run end to end', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-assembly-data-'));
  const source = join(dir, 'in.txt');
  const sink = join(dir, 'out.txt');
  const topic = uniqueName('assembly-lines');
  const src = uniqueName('asm-source');
  const snk = uniqueName('asm-sink');
  let host: AssemblyHost;
  const api = <T = unknown>(method: string, path: string, body?: unknown, raw?: string) => rest<T>(host.restUrl, method, path, body, raw);
  const status = async (name: string) => (await api<Status>('GET', `/connectors/${name}/status`)).body;
  const running = (name: string) =>
    eventually(async () => ((await status(name)).tasks[0]?.state === 'RUNNING' ? true : undefined), { what: `${name} RUNNING`, timeoutMs: 60_000 });
  // At least once, as Kafka Connect: a killed or fenced runner may deliver a line twice, never lose one.
  const distinct = (file: string) => new Set(sinkLines(file));
  const sinkHas = (n: number, what: string) => eventually(async () => distinct(sink).size >= n, { what, timeoutMs: 60_000, intervalMs: 200 });

  beforeAll(async () => {
    writeFileSync(source, lines(1, 100));
    host = await startAssemblyHost({ kafkaBootstrap, dynamoEndpoint, fargate: true });
  });

  afterAll(async () => {
    await host?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a FileStream source and sink created through the API move every line', async () => {
    const a = await api('POST', '/connectors', { name: src, config: { 'connector.class': 'FileStreamSource', file: source, topic, 'tributary.idle.backoff.max.ms': '1000' } });
    expect(a.status).toBe(201);
    const b = await api('POST', '/connectors', { name: snk, config: { 'connector.class': 'FileStreamSink', file: sink, topics: topic } });
    expect(b.status).toBe(201);
    await running(src);
    await running(snk);
    await sinkHas(100, '100 lines in the sink file');
    expect(sinkLines(sink).slice(0, 3)).toEqual(['line-1', 'line-2', 'line-3']);
    expect((await status(src)).tasks[0]?.worker_id).toMatch(/^lambda:/);
  });

  it('a runner SIGKILLed mid-slice comes back to RUNNING and moves new data, with no API call', async () => {
    const slice = await eventually(async () => host.functions.runner.busy().find((b) => (b.event as { connector?: string }).connector === src), { what: 'a source slice in progress' });
    const apiCalls = host.functions.api.stats.invocations;
    process.kill(slice.pid, 'SIGKILL');
    appendFileSync(source, lines(101, 200));
    await sinkHas(200, 'the lines written after the kill');
    expect(host.functions.api.stats.invocations).toBe(apiCalls);
    await running(src);
    expect(distinct(sink).has('line-101')).toBe(true);
  });

  it('an aborted execution reaches the restarter through the template\'s rule, which restarts the task', async () => {
    const execution = host.stepFunctions.running().find((e) => (e.input as { connector: string }).connector === src);
    expect(execution).toBeDefined();
    const restarts = host.functions.restarter.stats.invocations;
    const apiCalls = host.functions.api.stats.invocations;
    host.stepFunctions.stop(execution?.arn ?? '');
    await eventually(async () => host.stepFunctions.running().some((e) => (e.input as { connector: string }).connector === src && e.arn !== execution?.arn), {
      what: 'a new execution started by the restarter',
    });
    expect(host.functions.restarter.stats.invocations).toBeGreaterThan(restarts);
    expect(host.bus.deliveries.some((d) => /ExecutionEndedRule/.test(d.rule) && d.event.detail?.executionArn === execution?.arn)).toBe(true);
    appendFileSync(source, lines(201, 250));
    await sinkHas(250, 'the lines written after the restart');
    expect(host.functions.api.stats.invocations).toBe(apiCalls);
  });

  it('pause stops the flow and resume starts it again', async () => {
    expect((await api('PUT', `/connectors/${src}/pause`)).status).toBe(202);
    await eventually(async () => ((await status(src)).tasks[0]?.state === 'PAUSED' ? true : undefined), { what: 'PAUSED' });
    await eventually(async () => !host.stepFunctions.running().some((e) => (e.input as { connector: string }).connector === src), { what: 'the paused task\'s execution to end' });
    appendFileSync(source, lines(251, 300));
    await new Promise((r) => setTimeout(r, 3000));
    expect(distinct(sink).size).toBe(250);
    expect(distinct(sink).has('line-251')).toBe(false);
    expect((await api('PUT', `/connectors/${src}/resume`)).status).toBe(202);
    await running(src);
    await sinkHas(300, 'the lines written while paused');
    expect([...distinct(sink)].sort()).toEqual(lines(1, 300).split('\n').filter(Boolean).sort());
  });

  it('the Fargate path moves data too, and ends when its connector is deleted', async () => {
    const fsrc = uniqueName('asm-fargate');
    const fileIn = join(dir, 'fargate-in.txt');
    writeFileSync(fileIn, lines(1, 50).replaceAll('line-', 'fargate-'));
    const fargateTopic = uniqueName('assembly-fargate');
    const fsnk = uniqueName('asm-fargate-sink');
    const fileOut = join(dir, 'fargate-out.txt');
    const created = await api('POST', '/connectors', { name: fsrc, config: { 'connector.class': 'FileStreamSource', file: fileIn, topic: fargateTopic, 'tributary.runner': 'fargate' } });
    expect(created.status).toBe(201);
    expect((await api('POST', '/connectors', { name: fsnk, config: { 'connector.class': 'FileStreamSink', file: fileOut, topics: fargateTopic } })).status).toBe(201);
    await eventually(async () => distinct(fileOut).size >= 50, { what: '50 lines through the Fargate runner', timeoutMs: 90_000 });
    expect(host.fargate.stats.tasks).toBeGreaterThan(0);
    expect((await status(fsrc)).tasks[0]?.worker_id).toMatch(/^fargate:/);
    expect((await api('DELETE', `/connectors/${fsrc}`)).status).toBe(204);
    expect((await api('DELETE', `/connectors/${fsnk}`)).status).toBe(204);
    await eventually(async () => host.fargate.running.size === 0, { what: 'the Fargate task to stop', timeoutMs: 90_000 });
    expect(host.bus.deliveries.some((d) => /FargateTaskStoppedRule/.test(d.rule))).toBe(true);
  });

  it('delete ends the sink\'s executions and forgets it', async () => {
    expect((await api('DELETE', `/connectors/${snk}`)).status).toBe(204);
    expect((await api('GET', `/connectors/${snk}`)).status).toBe(404);
    await eventually(async () => !host.stepFunctions.running().some((e) => (e.input as { connector: string }).connector === snk), { what: 'the sink\'s execution to end' });
    expect((await api<string[]>('GET', '/connectors')).body).not.toContain(snk);
  });

  it('bad input through the proxy-event front gets 4xx in Connect\'s format, and nothing is stored', async () => {
    const bad = [
      await api('POST', '/connectors', undefined, '{"name": "x", '),
      await api('POST', '/connectors', { name: 'asm-bad', config: { 'connector.class': 'NoSuchConnector' } }),
      await api('POST', '/connectors', { name: 'asm-bad', config: { 'connector.class': 'FileStreamSource', topic: 'a', file: '/tmp/x', 'tasks.max': 'many' } }),
      await api('GET', '/connectors/asm-never-created/status'),
    ];
    for (const r of bad) {
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(r.body).toMatchObject({ error_code: r.status, message: expect.any(String) });
    }
    expect((await api<string[]>('GET', '/connectors')).body).not.toContain('asm-bad');
  });

  it('every AWS call of every principal is allowed by its policies in the template, and every grant is used or justified', () => {
    const calls = host.recorder.all();
    const byPrincipal = new Map<string, string[]>();
    for (const c of calls) byPrincipal.set(c.principal, [...(byPrincipal.get(c.principal) ?? []), `${c.action} ${c.resource} ×${c.count}`]);
    console.log(`Recorded AWS calls per principal:\n${[...byPrincipal].map(([p, l]) => `  ${p}\n${l.map((x) => `    ${x}`).join('\n')}`).join('\n')}`);
    expect(deniedCalls(host.resolver, calls)).toEqual([]);
    const principals = [...new Set(Object.values(host.principals))];
    const unused = principals.flatMap((p) => unusedGrants(host.resolver, p, calls));
    const key = (g: { principal: string; action: string }) => `${Object.entries(host.principals).find(([, id]) => id === g.principal)?.[0]} ${g.action}`;
    console.log(`Granted and never used:\n${unused.map((g) => `  ${key(g)} on ${g.resource}: ${UNUSED_GRANTS_JUSTIFIED[key(g)] ?? 'NOT JUSTIFIED'}`).join('\n')}`);
    expect(unused.map(key).filter((k) => !(k in UNUSED_GRANTS_JUSTIFIED))).toEqual([]);
  });
});
