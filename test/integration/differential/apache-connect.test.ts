/**
 * The reference the differential tests and benchmarks compare against: real Apache Kafka
 * Connect 4.1.1 (distributed) starts from the cached jars, runs a FileStreamSource, and a
 * replacement worker started after `kill -9` takes the connector over.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApacheConnect, type ApacheConnectWorker } from '../../support/apache-connect.ts';
import { testKafka, type TestKafka } from '../../support/kafka-helpers.ts';
import { freePort, uniqueName } from '../../support/local-host-process.ts';
import { eventually, rest } from '../../support/rest-client.ts';

const kafkaBootstrap = inject('kafkaBootstrap');

interface Status {
  connector: { state: string; worker_id: string };
  tasks: { id: number; state: string; worker_id: string }[];
}

describe('Apache Kafka Connect 4.1.1 as a reference worker', () => {
  const dir = mkdtempSync(join(tmpdir(), 'apache-connect-'));
  const input = join(dir, 'in.txt');
  const topic = uniqueName('apache-lines');
  const name = uniqueName('apache-file-source');
  const kafka = testKafka(kafkaBootstrap);
  const workers: ApacheConnectWorker[] = [];
  let port: number;

  beforeAll(async () => {
    writeFileSync(input, Array.from({ length: 10 }, (_, i) => `line-${i}\n`).join(''));
    port = await freePort();
    workers.push(await startApacheConnect({ bootstrapServers: kafkaBootstrap, workDir: dir, port, xmx: '512m', offsetFlushIntervalMs: 1000 }));
  });

  afterAll(async () => {
    await kafka.close();
    for (const w of workers) await w.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const runningStatus = (restUrl: string) =>
    eventually(
      async () => {
        const r = await rest<Status>(restUrl, 'GET', `/connectors/${name}/status`);
        return r.status === 200 && r.body.connector.state === 'RUNNING' && r.body.tasks[0]?.state === 'RUNNING' ? r.body : undefined;
      },
      { what: `${name} RUNNING` },
    );

  it('answers GET / with its version once ready', async () => {
    const root = await rest<{ version: string; commit: string; kafka_cluster_id: string }>(workers[0]!.restUrl, 'GET', '/');
    expect(root.status).toBe(200);
    expect(root.body.version).toBe('4.1.1');
    expect(root.body.kafka_cluster_id).toMatch(/\S/);
  });

  it('runs a FileStreamSource that writes each line with the JsonConverter schema envelope', async () => {
    const w = workers[0]!;
    const created = await rest(w.restUrl, 'POST', '/connectors', { name, config: { 'connector.class': 'FileStreamSource', file: input, topic } });
    expect(created.status).toBe(201);
    const status = await runningStatus(w.restUrl);
    expect(status.connector.worker_id).toBe(`127.0.0.1:${port}`);

    const values = await readValues(kafka, topic, 10);
    expect(values[0]).toEqual({ schema: { type: 'string', optional: false }, payload: 'line-0' });
    expect(values.map((v) => (v as { payload: string }).payload)).toEqual(Array.from({ length: 10 }, (_, i) => `line-${i}`));
  });

  it('a replacement worker in the same group takes the connector over after kill -9', async () => {
    const old = workers[0]!;
    await old.kill();
    expect(() => process.kill(old.pid, 0)).toThrow();
    const replacement = await startApacheConnect({ bootstrapServers: kafkaBootstrap, workDir: dir, port, cluster: old.cluster, xmx: '512m' });
    workers.push(replacement);
    expect(replacement.pid).not.toBe(old.pid);
    const names = await rest<string[]>(replacement.restUrl, 'GET', '/connectors');
    expect(names.body).toEqual([name]);
    await runningStatus(replacement.restUrl);
  });
});

async function readValues(kafka: TestKafka, topic: string, count: number): Promise<unknown[]> {
  return (await kafka.readAll(topic, count)).map((m) => JSON.parse(String(m.value)) as unknown);
}
