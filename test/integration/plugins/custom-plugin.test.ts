/** A custom connector package named in TRIBUTARY_PLUGINS is loaded by the registry and runs like a built-in. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { projectRoot } from '../../../host/local-paths.ts';
import { testKafka } from '../../support/kafka-helpers.ts';
import { startHostProcess, uniqueName, type HostProcess } from '../../support/local-host-process.ts';
import { eventually, rest } from '../../support/rest-client.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');

describe('custom connector packages', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-plugins-'));
  let host: HostProcess;

  beforeAll(async () => {
    host = await startHostProcess({
      kafkaBootstrap,
      dynamoEndpoint,
      dataDir: join(dir, 'data'),
      tableName: uniqueName('plugins'),
      env: { TRIBUTARY_PLUGINS: join(projectRoot, 'examples', 'counter-connector', 'index.ts') },
    });
  });

  afterAll(async () => {
    await host?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the package\'s connector and runs it by its alias', async () => {
    const plugins = (await rest<{ class: string; type: string }[]>(host.restUrl, 'GET', '/connector-plugins')).body;
    expect(plugins).toContainEqual({ class: 'com.example.CounterSourceConnector', type: 'source', version: '1.0.0' });
    const topic = uniqueName('numbers');
    const created = await rest(host.restUrl, 'POST', '/connectors', { name: uniqueName('counter'), config: { 'connector.class': 'Counter', topic, 'count.max': '50' } });
    expect(created.status).toBe(201);
    const kafka = testKafka(kafkaBootstrap);
    try {
      await eventually(async () => (await kafka.count(topic)) === 50, { what: '50 numbers in the topic' });
    } finally {
      await kafka.close();
    }
  });
});
