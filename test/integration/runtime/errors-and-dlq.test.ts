/**
 * Error handling on real records: a poison record goes to the DLQ with Connect's context
 * headers while the task keeps running (errors.tolerance=all); with tolerance none the
 * task FAILS with a trace naming the stage. Both are counted under Connect's error metrics.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startHostProcess, uniqueName, type HostProcess } from '../../support/local-host-process.ts';
import { createTopics, testKafka } from '../../support/kafka-helpers.ts';
import { promSample, scrapeMetrics } from '../../support/prometheus-text.ts';
import { eventually, rest } from '../../support/rest-client.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');

const envelope = (s: string) => JSON.stringify({ schema: { type: 'string', optional: false }, payload: s });

describe('errors.tolerance and the dead letter queue', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-dlq-'));
  const kafka = testKafka(kafkaBootstrap);
  let host: HostProcess;

  beforeAll(async () => {
    host = await startHostProcess({ kafkaBootstrap, dynamoEndpoint, dataDir: join(dir, 'data'), tableName: uniqueName('t'), env: { IDLE_BACKOFF_MAX_MS: '2000' } });
  });

  afterAll(async () => {
    await kafka.close();
    await host?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends a poison record to the DLQ with __connect.errors.* headers and keeps the task RUNNING', async () => {
    const topic = uniqueName('orders');
    const dlq = uniqueName('orders-dlq');
    const file = join(dir, 'tolerant.txt');
    // The DLQ topic is left for the runner to create.
    await createTopics(kafka, [topic]);
    await kafka.produce(topic, [{ value: envelope('good-1') }, { value: 'this is not json', headers: { origin: 'test' } }, { value: envelope('good-2') }]);
    const name = uniqueName('tolerant-sink');
    const created = await rest(host.restUrl, 'POST', '/connectors', {
      name,
      config: {
        'connector.class': 'FileStreamSink',
        file,
        topics: topic,
        'errors.tolerance': 'all',
        'errors.deadletterqueue.topic.name': dlq,
        'errors.deadletterqueue.topic.replication.factor': '1',
        'errors.deadletterqueue.context.headers.enable': 'true',
      },
    });
    expect(created.status).toBe(201);
    await eventually(async () => existsSync(file) && readFileSync(file, 'utf8') === 'good-1\ngood-2\n', { what: 'the good records in the sink file' });

    await eventually(async () => (await kafka.listTopics()).includes(dlq), { what: 'the DLQ topic' });
    const got = (await kafka.readAll(dlq, 1)).map((m) => ({ value: String(m.value), headers: m.headers }));
    expect(got).toHaveLength(1);
    const [record] = got;
    expect(record?.value).toBe('this is not json');
    expect(record?.headers).toMatchObject({
      origin: 'test',
      '__connect.errors.topic': topic,
      '__connect.errors.partition': '0',
      '__connect.errors.offset': '1',
      '__connect.errors.connector.name': name,
      '__connect.errors.task.id': '0',
      '__connect.errors.stage': 'VALUE_CONVERTER',
      '__connect.errors.class.name': 'org.apache.kafka.connect.json.JsonConverter',
      '__connect.errors.exception.class.name': 'org.apache.kafka.connect.errors.DataException',
    });
    expect(record?.headers['__connect.errors.exception.message']).toMatch(/\S/);
    expect(record?.headers['__connect.errors.exception.stacktrace']).toMatch(/\S/);
    const status = await rest<{ tasks: { state: string }[] }>(host.restUrl, 'GET', `/connectors/${name}/status`);
    expect(status.body.tasks[0]?.state).toBe('RUNNING');
    const task = { connector: name, task: '0' };
    const metrics = await eventually(async () => {
      const t = await scrapeMetrics(host.restUrl);
      return promSample(t, 'kafka_connect_task_error_metrics_deadletterqueue_produce_requests', task) === 1 && t;
    }, { what: 'the DLQ record counted' });
    expect(promSample(metrics, 'kafka_connect_task_error_metrics_total_record_errors', task)).toBe(1);
    expect(promSample(metrics, 'kafka_connect_task_error_metrics_total_record_failures', task)).toBe(0);
    expect(promSample(metrics, 'kafka_connect_sink_task_metrics_sink_record_read_total', task)).toBe(3);
    expect(promSample(metrics, 'kafka_connect_sink_task_metrics_sink_record_send_total', task)).toBe(2);
  });

  it('fails the task with a trace naming the stage when tolerance is none', async () => {
    const topic = uniqueName('payments');
    await createTopics(kafka, [topic]);
    await kafka.produce(topic, [{ value: envelope('ok') }, { value: '{not json' }]);
    const name = uniqueName('strict-sink');
    await rest(host.restUrl, 'POST', '/connectors', {
      name,
      config: { 'connector.class': 'FileStreamSink', file: join(dir, 'strict.txt'), topics: topic, 'tributary.restart.policy': 'never' },
    });
    const task = await eventually(
      async () => {
        const r = await rest<{ tasks: { state: string; trace?: string }[] }>(host.restUrl, 'GET', `/connectors/${name}/status`);
        return r.body.tasks[0]?.state === 'FAILED' ? r.body.tasks[0] : undefined;
      },
      { what: 'the task to fail' },
    );
    expect(task.trace).toMatch(/Tolerance exceeded in error handler/);
    expect(task.trace).toMatch(/VALUE_CONVERTER/);
    expect(task.trace).toMatch(/JsonConverter/);
    // Nothing was committed past the poison record: a restart will meet it again rather than skip it.
    const committed = await kafka.committedOffsets(`connect-${name}`, topic);
    expect(committed[0]?.offset ?? -1).toBeLessThanOrEqual(1);
    const labels = { connector: name, task: '0' };
    await eventually(async () => promSample(await scrapeMetrics(host.restUrl), 'kafka_connect_task_error_metrics_total_record_failures', labels) === 1, { what: 'the failure counted' });
    expect(promSample(await scrapeMetrics(host.restUrl), 'kafka_connect_connector_task_status', { ...labels, status: 'failed' })).toBe(1);
  });
});
