/**
 * Whole-system faults under a FileStream source → sink pipeline fed continuously: the Kafka
 * broker stopped and started again, DynamoDB Local stopped and started again, and the local
 * host SIGKILLed and started again. Each time every connector resumes by itself; at the end
 * no line is lost and duplicates stay within the record-count commit bound per fault.
 * Private broker and DynamoDB Local (not the shared ones): these tests stop them.
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDynamoDb, type DynamoEndpoint } from '../../../host/dynamodb-launcher.ts';
import { ensureKafka, type KafkaEndpoint } from '../../../host/kafka-launcher.ts';
import { isPortOpen } from '../../../host/net-probe.ts';
import { countLinesInFile, lineCount } from '../../support/fault-helpers.ts';
import { freePort, startHostProcess, uniqueName, type HostProcess } from '../../support/local-host-process.ts';
import { eventually, rest } from '../../support/rest-client.ts';

const FLUSH_RECORDS = 2000;
const LINES_PER_TICK = 50;
const OUTAGE_MS = 4000;

interface TaskBody {
  state: string;
}

describe('whole-system faults: broker, store and host restarts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-system-faults-'));
  const input = join(dir, 'in.txt');
  const output = join(dir, 'out.txt');
  // The components read no connection settings from the shell: these are private ones.
  const { KAFKA_BOOTSTRAP_SERVERS: _k, DYNAMODB_ENDPOINT: _d, ...env } = process.env;
  const tableName = uniqueName('system-faults');
  let kafkaPort = 0;
  let dynamoPort = 0;
  let kafka: KafkaEndpoint | undefined;
  let dynamo: DynamoEndpoint | undefined;
  let host: HostProcess | undefined;
  let written = 0;
  let writer: NodeJS.Timeout | undefined;
  const source = uniqueName('sys-source');
  const sink = uniqueName('sys-sink');

  const startKafka = async () => (kafka = await ensureKafka({ dataDir: dir, port: kafkaPort, env }));
  const startDynamo = async () => (dynamo = await ensureDynamoDb({ dataDir: dir, port: dynamoPort, env }));
  const startHost = async () =>
    (host = await startHostProcess({
      kafkaBootstrap: `127.0.0.1:${kafkaPort}`,
      dynamoEndpoint: `http://127.0.0.1:${dynamoPort}`,
      dataDir: join(dir, 'host'),
      tableName,
      env: { IDLE_BACKOFF_MAX_MS: '2000' },
    }));

  beforeAll(async () => {
    for (;;) {
      kafkaPort = await freePort();
      if (kafkaPort < 65535 && !(await isPortOpen(kafkaPort + 1))) break;
    }
    dynamoPort = await freePort();
    await Promise.all([startKafka(), startDynamo()]);
    await startHost();
    writeFileSync(input, '');
    writer = setInterval(() => {
      const lines: string[] = [];
      for (let i = 0; i < LINES_PER_TICK; i++) lines.push(`${String(written++).padStart(10, '0')} ${'x'.repeat(88)}\n`);
      appendFileSync(input, lines.join(''));
    }, 100);
    const common = { 'tributary.offset.flush.max.records': String(FLUSH_RECORDS), 'offset.flush.interval.ms': '10000', 'tributary.restart.backoff.max.ms': '4000' };
    const restUrl = (host as HostProcess).restUrl;
    expect((await rest(restUrl, 'POST', '/connectors', { name: source, config: { 'connector.class': 'FileStreamSource', file: input, topic: `${source}-topic`, ...common } })).status).toBe(201);
    expect((await rest(restUrl, 'POST', '/connectors', { name: sink, config: { 'connector.class': 'FileStreamSink', file: output, topics: `${source}-topic`, ...common } })).status).toBe(201);
  });

  afterAll(async () => {
    clearInterval(writer);
    await host?.stop('SIGKILL');
    await Promise.all([kafka?.stop(), dynamo?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  /** Waits until the sink holds every line written so far, and both tasks are RUNNING. */
  async function caughtUp(what: string): Promise<number> {
    const started = Date.now();
    const target = written;
    try {
      await eventually(async () => lineCount(output) >= target && countLinesInFile(output, target).missing === 0, { what: `${what}: the sink to hold the first ${target} lines`, timeoutMs: 90_000, intervalMs: 500 });
      for (const name of [source, sink]) {
        await eventually(async () => (await rest<TaskBody>((host as HostProcess).restUrl, 'GET', `/connectors/${name}/tasks/0/status`)).body.state === 'RUNNING', { what: `${what}: ${name} RUNNING`, timeoutMs: 60_000 });
      }
    } catch (e) {
      const statuses = await Promise.all([source, sink].map(async (n) => JSON.stringify((await rest((host as HostProcess).restUrl, 'GET', `/connectors/${n}/status`)).body)));
      throw new Error(`${(e as Error).message}\n${lineCount(output)} lines in the sink\n${statuses.join('\n')}\n${(host as HostProcess).output().split('\n').slice(-60).join('\n')}`);
    }
    console.log(`${what}: caught up after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return (Date.now() - started) / 1000;
  }

  it('resumes every connector by itself after each fault, losing nothing, duplicating within the bound', { timeout: 420_000 }, async () => {
    await caughtUp('start');
    const recovery: string[] = [];

    await kafka?.stop();
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    await startKafka();
    recovery.push(`broker restart: caught up ${(await caughtUp('after the broker restart')).toFixed(1)} s after it was back`);

    await dynamo?.stop();
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    await startDynamo();
    recovery.push(`DynamoDB Local restart: ${(await caughtUp('after the DynamoDB Local restart')).toFixed(1)} s`);

    await host?.stop('SIGKILL');
    await new Promise((r) => setTimeout(r, 1000));
    await startHost();
    recovery.push(`host SIGKILL and start: ${(await caughtUp('after the host restart')).toFixed(1)} s`);

    clearInterval(writer);
    writer = undefined;
    await caughtUp('at the end');
    await new Promise((r) => setTimeout(r, 2000));
    const { missing, duplicated } = countLinesInFile(output, written);
    console.log(`whole-system faults, ${written} lines: ${recovery.join('; ')}; ${missing} missing, ${duplicated} duplicated (bound 3 × 2 × ${FLUSH_RECORDS})`);
    expect(missing).toBe(0);
    // Each fault costs at most one commit bound on each side, the source's and the sink's.
    expect(duplicated).toBeLessThanOrEqual(3 * 2 * FLUSH_RECORDS);
  });
});
