/**
 * Runners lost to the infrastructure, through the whole local stack: a SIGKILLed runner is
 * re-run at once, kill after kill, counted apart from the connector's own failures; a
 * FileStream source → sink pipeline with runner kills loses nothing and duplicates at most
 * what the record-count commit bound allows; runners of deleted, stopped or restarted tasks
 * are freed (a freed runner serves the next task), and the pool stays bounded.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_SPARE_SIZING } from '../../../host/spare-sizing.ts';
import { createStore } from '../../../lib/store/store-factory.ts';
import { countLinesInFile, killAndTimeRecovery, lineCount, runnerPid, runnerProcesses } from '../../support/fault-helpers.ts';
import { writeNumberedLines } from '../../support/kafka-helpers.ts';
import { startHostProcess, uniqueName, type HostProcess } from '../../support/local-host-process.ts';
import { eventually, rest } from '../../support/rest-client.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');
const FLUSH_RECORDS = 5000;
/** The warm-spare pool's ceiling (host/spare-sizing.ts DEFAULT_SPARE_SIZING.max). */
const MAX_SPARES = DEFAULT_SPARE_SIZING.max;

interface TaskBody {
  state: string;
  tributary?: { restarts: string[]; infrastructure_restarts?: string[]; last_restart: string | null };
}

describe('fault healing on the local host', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-faults-'));
  const tableName = uniqueName('faults');
  const store = createStore({ tableName, endpoint: dynamoEndpoint });
  let host: HostProcess;

  beforeAll(async () => {
    host = await startHostProcess({ kafkaBootstrap, dynamoEndpoint, dataDir: join(dir, 'data'), tableName, env: { IDLE_BACKOFF_MAX_MS: '2000' } });
  });

  afterAll(async () => {
    await host?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A FileStream source → topic → FileStream sink pipeline over `input`. */
  async function pipeline(input: string, extra: Record<string, string> = {}) {
    const topic = uniqueName('faults-topic');
    const source = uniqueName('faults-source');
    const sink = uniqueName('faults-sink');
    const output = join(dir, `${sink}.txt`);
    const common = { 'tributary.offset.flush.max.records': String(FLUSH_RECORDS), 'offset.flush.interval.ms': '10000', ...extra };
    expect((await rest(host.restUrl, 'POST', '/connectors', { name: source, config: { 'connector.class': 'FileStreamSource', file: input, topic, ...common } })).status).toBe(201);
    expect((await rest(host.restUrl, 'POST', '/connectors', { name: sink, config: { 'connector.class': 'FileStreamSink', file: output, topics: topic, ...common } })).status).toBe(201);
    return { topic, source, sink, output };
  }

  it('re-runs a killed runner at once, kill after kill, and counts those restarts apart from failures', async () => {
    const input = join(dir, 'heal-in.txt');
    const total = 20_000;
    writeNumberedLines(input, total);
    const { source, sink, output } = await pipeline(input);
    await eventually(async () => lineCount(output) >= total, { what: 'the first lines in the sink', timeoutMs: 60_000 });
    const seconds: number[] = [];
    for (let k = 0; k < 6; k++) seconds.push(await killAndTimeRecovery(host.restUrl, store, k % 2 ? source : sink));
    console.log(`kill → RUNNING, kill after kill: ${seconds.map((s) => s.toFixed(2)).join(', ')} s`);
    // Data written after the kills still arrives: the pipeline is whole again.
    const more = 1000;
    const extra: string[] = [];
    for (let i = total; i < total + more; i++) extra.push(`${String(i).padStart(10, '0')} ${'x'.repeat(88)}\n`);
    appendFileSync(input, extra.join(''));
    await eventually(async () => countLinesInFile(output, total + more).missing === 0, { what: 'every line in the sink', timeoutMs: 60_000 });
    for (const [name, kills] of [[sink, 3], [source, 3]] as const) {
      const task = (await rest<TaskBody>(host.restUrl, 'GET', `/connectors/${name}/tasks/0/status`)).body;
      expect(task.state).toBe('RUNNING');
      // Infrastructure restarts are recorded on their own; the connector-failure budget is untouched.
      expect(task.tributary?.infrastructure_restarts).toHaveLength(kills);
      expect(task.tributary?.restarts).toHaveLength(0);
    }
    for (const name of [source, sink]) await rest(host.restUrl, 'DELETE', `/connectors/${name}`);
  });

  it('keeps warm spares ahead of back-to-back kills: five kills of one runner, each back RUNNING', async () => {
    const input = join(dir, 'spares-in.txt');
    writeNumberedLines(input, 1000);
    const topic = uniqueName('spares-topic');
    const source = uniqueName('spares-source');
    expect((await rest(host.restUrl, 'POST', '/connectors', { name: source, config: { 'connector.class': 'FileStreamSource', file: input, topic } })).status).toBe(201);
    try {
      await runnerPid(host.restUrl, source);
      const spares = async () => (await rest<{ ready: number; wanted: number }>(host.restUrl, 'GET', '/tributary/runner-spares')).body;
      const before = await spares();
      const seconds: number[] = [];
      const sizes: string[] = [];
      for (let k = 0; k < 5; k++) {
        seconds.push(await killAndTimeRecovery(host.restUrl, store, source));
        const s = await spares();
        sizes.push(`${s.ready}/${s.wanted}`);
      }
      console.log(`five back-to-back kills → RUNNING: ${seconds.map((x) => x.toFixed(2)).join(', ')} s; spares ready/wanted before ${before.ready}/${before.wanted}, after each kill ${sizes.join(', ')}`);
      const task = (await rest<TaskBody>(host.restUrl, 'GET', `/connectors/${source}/tasks/0/status`)).body;
      expect(task.state).toBe('RUNNING');
      expect(task.tributary?.infrastructure_restarts).toHaveLength(5);
      // The runners just handed out raised the spare count above its floor, and never past its ceiling.
      const after = await spares();
      expect(after.wanted).toBeGreaterThan(DEFAULT_SPARE_SIZING.min);
      expect(after.wanted).toBeLessThanOrEqual(MAX_SPARES);
    } finally {
      await rest(host.restUrl, 'DELETE', `/connectors/${source}`);
    }
  });

  it('replays at most the record-count commit bound per runner kill (FileStream source → sink, 200,000 lines)', async () => {
    const input = join(dir, 'dup-in.txt');
    const total = 200_000;
    const kills = 3;
    writeNumberedLines(input, total);
    const { source, sink, output } = await pipeline(input);
    for (let k = 0; k < kills; k++) {
      // A random moment while data is flowing into the sink's file.
      const target = Math.floor((total * (k + 1)) / (kills + 2) + Math.random() * (total / (kills + 2) / 2));
      await eventually(async () => lineCount(output) >= target, { what: `${target} lines in the sink`, timeoutMs: 120_000, intervalMs: 20 });
      const victim = k === 1 ? source : sink;
      process.kill(await runnerPid(host.restUrl, victim), 'SIGKILL');
    }
    await eventually(async () => countLinesInFile(output, total).missing === 0, { what: 'every line in the sink', timeoutMs: 180_000, intervalMs: 500 });
    await new Promise((r) => setTimeout(r, 2000));
    const flowing = countLinesInFile(output, total);
    console.log(`source → sink, ${total} lines, ${kills} kills while flowing: ${flowing.missing} missing, ${flowing.duplicated} duplicated (${(flowing.duplicated / kills).toFixed(0)} per kill; bound ${FLUSH_RECORDS})`);
    expect(flowing.missing).toBe(0);
    // A sink replays what it put since its last commit, a source re-sends what it sent since its
    // last commit: the record bound caps both (commitEvery, task-worker.ts).
    expect(flowing.duplicated).toBeLessThanOrEqual(kills * FLUSH_RECORDS);
    // A kill after catch-up replays nothing: both tasks committed when they caught up.
    process.kill(await runnerPid(host.restUrl, sink), 'SIGKILL');
    process.kill(await runnerPid(host.restUrl, source), 'SIGKILL');
    await eventually(async () => (await rest<TaskBody>(host.restUrl, 'GET', `/connectors/${sink}/tasks/0/status`)).body.tributary?.infrastructure_restarts?.length === 3, { what: 'the sink re-run' });
    await eventually(async () => (await rest<TaskBody>(host.restUrl, 'GET', `/connectors/${sink}/tasks/0/status`)).body.state === 'RUNNING', { what: 'the sink RUNNING' });
    await new Promise((r) => setTimeout(r, 3000));
    const after = countLinesInFile(output, total);
    console.log(`two more kills after catch-up: ${after.duplicated - flowing.duplicated} more duplicates`);
    expect(after.duplicated).toBe(flowing.duplicated);
    for (const name of [source, sink]) await rest(host.restUrl, 'DELETE', `/connectors/${name}`);
  });

  it('hands a deleted connector\'s runner, loaded and connected, to the next connector as a warm Lambda container would', async () => {
    const input = join(dir, 'reuse-in.txt');
    writeNumberedLines(input, 10);
    const create = async (name: string) =>
      expect((await rest(host.restUrl, 'POST', '/connectors', { name, config: { 'connector.class': 'FileStreamSource', file: input, topic: uniqueName('reuse-topic') } })).status).toBe(201);
    // The connectors of the tests before are deleted, and their runners come back to the spares
    // within moments: once they have, the next runner freed is the only one.
    await eventually(async () => (await rest<unknown[]>(host.restUrl, 'GET', '/tributary/runners')).body.length === 0, { what: 'no runner serving a task' });
    const first = uniqueName('reuse-a');
    await create(first);
    const pid = await runnerPid(host.restUrl, first);
    expect((await rest(host.restUrl, 'DELETE', `/connectors/${first}`)).status).toBe(204);
    // Freed, not ended: no task is served by it, yet the process lives on as a spare.
    await eventually(async () => !(await rest<{ pid: number }[]>(host.restUrl, 'GET', '/tributary/runners')).body.some((r) => r.pid === pid), { what: `${first}'s runner freed` });
    expect(runnerProcesses(host.child.pid ?? 0)).toContain(pid);
    const second = uniqueName('reuse-b');
    await create(second);
    expect(await runnerPid(host.restUrl, second)).toBe(pid);
    await rest(host.restUrl, 'DELETE', `/connectors/${second}`);
  });

  it('frees the runners of deleted, stopped and restarted tasks, and keeps the pool bounded', async () => {
    const input = join(dir, 'free-in.txt');
    writeNumberedLines(input, 100);
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await pipeline(input));
    for (const p of made) await eventually(async () => lineCount(p.output) >= 100, { what: 'lines in the sink' });
    const busy = runnerProcesses(host.child.pid ?? 0).length;
    // Delete one pipeline, stop another, restart the third's sink.
    const [a, b, c] = made as [(typeof made)[0], (typeof made)[0], (typeof made)[0]];
    await rest(host.restUrl, 'DELETE', `/connectors/${a.source}`);
    await rest(host.restUrl, 'DELETE', `/connectors/${a.sink}`);
    await rest(host.restUrl, 'PUT', `/connectors/${b.source}/stop`);
    await rest(host.restUrl, 'PUT', `/connectors/${b.sink}/stop`);
    await rest(host.restUrl, 'POST', `/connectors/${c.sink}/restart?includeTasks=true`);
    const freedAt = Date.now();
    const live = 2;
    // Spares follow demand (these creates and restarts raised it), never past the ceiling.
    const spares = MAX_SPARES;
    let seen = '';
    const counts = await eventually(
      async () => {
        const runners = (await rest<{ connector: string }[]>(host.restUrl, 'GET', '/tributary/runners')).body;
        const processes = runnerProcesses(host.child.pid ?? 0).length;
        seen = `${processes} processes, runners for ${runners.map((r) => r.connector).join(', ')}`;
        return runners.length <= live && processes <= live + spares ? { runners: runners.length, processes } : undefined;
      },
      { what: 'the runners of gone tasks to exit', timeoutMs: 30_000, intervalMs: 100 },
    ).catch((e: Error) => {
      const ages = runnerProcesses(host.child.pid ?? 0).map((pid) => `${pid}: ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').slice(-60)}`);
      throw new Error(`${e.message} (${seen}; ${ages.join('; ')})\n${host.output().split('\n').slice(-40).join('\n')}`);
    });
    console.log(`runner processes: ${busy} with 6 live tasks; ${counts.processes} (${counts.runners} serving tasks) ${((Date.now() - freedAt) / 1000).toFixed(1)} s after delete/stop/restart`);
    for (const name of [c.source, c.sink]) await rest(host.restUrl, 'DELETE', `/connectors/${name}`);
    await eventually(async () => runnerProcesses(host.child.pid ?? 0).length <= spares, { what: 'only the spares left', timeoutMs: 30_000 });
  });
});
