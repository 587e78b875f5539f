/**
 * Regression: a config change in the middle of a transfer used to fence the running task
 * before it could commit, so the new generation replayed everything since the last commit
 * (34,000 duplicates in 100,000 records). A live task now commits and moves to the new
 * generation itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { countNumberedLines, testKafka, writeNumberedLines } from '../../support/kafka-helpers.ts';
import { startHostProcess, uniqueName, type HostProcess } from '../../support/local-host-process.ts';
import { eventually, rest } from '../../support/rest-client.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');
const RECORDS = 300_000;

describe('a config change during a transfer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-reconfig-'));
  const file = join(dir, 'in.txt');
  const kafka = testKafka(kafkaBootstrap);
  let host: HostProcess;

  beforeAll(async () => {
    writeNumberedLines(file, RECORDS);
    host = await startHostProcess({ kafkaBootstrap, dynamoEndpoint, dataDir: join(dir, 'data'), tableName: uniqueName('reconfig') });
  });

  afterAll(async () => {
    await host?.stop();
    await kafka.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('moves the running task to the new generation without replaying records', async () => {
    const name = uniqueName('reconfigured-source');
    const topic = uniqueName('reconfigured');
    const config = { 'connector.class': 'FileStreamSource', file, topic, 'offset.flush.interval.ms': '60000' };
    expect((await rest(host.restUrl, 'POST', '/connectors', { name, config })).status).toBe(201);
    const produced = async () => (await kafka.watermarks(topic).catch(() => [])).reduce((n, w) => n + w.high, 0);
    await eventually(async () => (await produced()) >= RECORDS / 4, { what: 'a quarter of the file produced', intervalMs: 20 });
    const changed = await rest(host.restUrl, 'PUT', `/connectors/${name}/config`, { ...config, 'batch.size': '1000' });
    expect(changed.status).toBe(200);
    await eventually(
      async () => (await rest<{ offsets: { offset: { position: number } }[] }>(host.restUrl, 'GET', `/connectors/${name}/offsets`)).body.offsets[0]?.offset.position === RECORDS * 100,
      { what: 'the whole file committed', timeoutMs: 120_000 },
    );
    const counts = await countNumberedLines(kafka, topic, RECORDS);
    const missing = counts.reduce((n, c) => n + (c === 0 ? 1 : 0), 0);
    const duplicated = counts.reduce((n, c) => n + (c > 1 ? c - 1 : 0), 0);
    expect(missing).toBe(0);
    expect(duplicated).toBe(0);
    const tasks = (await rest<{ config: Record<string, string> }[]>(host.restUrl, 'GET', `/connectors/${name}/tasks`)).body;
    expect(tasks[0]?.config['batch.size']).toBe('1000');
  });
});
