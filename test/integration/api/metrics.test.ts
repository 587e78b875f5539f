/**
 * Task metrics on the real local host: a FileStream source → topic → FileStream sink moves
 * records; `GET /metrics` counts exactly those records under Kafka Connect's names, the
 * metrics route charts them and the sink's lag falls to 0 once it caught up; bad requests
 * answer in Connect's error format, and a deleted connector's metrics go with it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { lineCount } from '../../support/fault-helpers.ts';
import { writeNumberedLines } from '../../support/kafka-helpers.ts';
import { startHostProcess, uniqueName, type HostProcess } from '../../support/local-host-process.ts';
import { promSample } from '../../support/prometheus-text.ts';
import { rawRequest } from '../../support/raw-http.ts';
import { eventually, rest } from '../../support/rest-client.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');
const TOTAL = 3000;

interface Series {
  metric: string;
  task: number | null;
  topic?: string;
  partition?: number;
  points: [number, number][];
}
interface Chart {
  connector: string;
  range: string;
  stepSeconds: number;
  series: Series[];
}

const sample = promSample;

describe('task metrics on the local host', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-metrics-'));
  const topic = uniqueName('metrics-topic');
  const source = uniqueName('metrics-source');
  const sink = uniqueName('metrics-sink');
  const output = join(dir, 'out.txt');
  let host: HostProcess;
  const scrape = async () => {
    const res = await fetch(`${host.restUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    return res.text();
  };
  const chart = (name: string, range = '15m') => rest<Chart>(host.restUrl, 'GET', `/tributary/metrics/connectors/${name}?range=${range}`);

  beforeAll(async () => {
    host = await startHostProcess({ kafkaBootstrap, dynamoEndpoint, dataDir: join(dir, 'data'), tableName: uniqueName('metrics') });
    const input = join(dir, 'in.txt');
    writeNumberedLines(input, TOTAL);
    expect((await rest(host.restUrl, 'POST', '/connectors', { name: source, config: { 'connector.class': 'FileStreamSource', file: input, topic } })).status).toBe(201);
    expect((await rest(host.restUrl, 'POST', '/connectors', { name: sink, config: { 'connector.class': 'FileStreamSink', file: output, topics: topic } })).status).toBe(201);
    await eventually(async () => lineCount(output) >= TOTAL, { what: 'every line in the sink file', timeoutMs: 90_000 });
  });

  afterAll(async () => {
    await host?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts the records moved under Kafka Connect metric names, with the status gauges', async () => {
    const src = { connector: source, task: '0' };
    const snk = { connector: sink, task: '0' };
    const text = await eventually(
      async () => {
        const t = await scrape();
        // Each runner reports its figures every 2 s: the source's may come a little after the sink's.
        return sample(t, 'kafka_connect_sink_task_metrics_sink_record_send_total', snk) === TOTAL && sample(t, 'kafka_connect_source_task_metrics_source_record_write_total', src) === TOTAL && t;
      },
      { what: 'the source write and sink send totals to reach the records moved', timeoutMs: 30_000 },
    );
    expect(sample(text, 'kafka_connect_source_task_metrics_source_record_poll_total', src)).toBe(TOTAL);
    expect(sample(text, 'kafka_connect_source_task_metrics_source_record_write_total', src)).toBe(TOTAL);
    expect(sample(text, 'kafka_connect_sink_task_metrics_sink_record_read_total', snk)).toBe(TOTAL);
    expect(sample(text, 'kafka_connect_task_error_metrics_total_record_errors', src)).toBe(0);
    expect(sample(text, 'kafka_connect_task_error_metrics_deadletterqueue_produce_requests', snk)).toBe(0);
    expect(sample(text, 'kafka_connect_source_task_metrics_source_record_poll_rate', src)).toBeGreaterThanOrEqual(0);
    expect(text).toContain('# TYPE kafka_connect_source_task_metrics_source_record_poll_total counter');
    expect(sample(text, 'kafka_connect_connector_status', { connector: source, type: 'source', status: 'running' })).toBe(1);
    expect(sample(text, 'kafka_connect_connector_task_status', { connector: sink, task: '0', status: 'running' })).toBe(1);
    // A sink's connector is not a source: its figures are under the sink names only.
    expect(sample(text, 'kafka_connect_source_task_metrics_source_record_poll_total', snk)).toBeUndefined();
  });

  it('charts the records moving and the sink lag falling to 0 once it caught up', async () => {
    const src = await eventually(
      async () => {
        const r = await chart(source);
        const sent = r.body.series.find((s) => s.metric === 'records-out-rate' && s.task === 0);
        const moved = (sent?.points ?? []).reduce((n, [, v]) => n + v * r.body.stepSeconds, 0);
        return Math.round(moved) === TOTAL && r;
      },
      { what: 'the source chart to account for every record', timeoutMs: 30_000 },
    );
    expect(src.status).toBe(200);
    expect(src.body).toMatchObject({ connector: source, range: '15m', stepSeconds: 10 });
    expect(src.body.series.map((s) => s.metric)).toEqual(expect.arrayContaining(['records-in-rate', 'records-out-rate', 'errors', 'dlq-records', 'batch-latency-ms']));
    const polled = src.body.series.find((s) => s.metric === 'records-in-rate' && s.task === 0);
    expect(polled?.points.length).toBe(90);
    expect(polled?.points.some(([, v]) => v > 0)).toBe(true);
    expect(src.body.series.some((s) => s.metric === 'consumer-lag')).toBe(false);

    const lag = await eventually(
      async () => {
        const r = await chart(sink);
        const s = r.body.series.find((x) => x.metric === 'consumer-lag' && x.task === 0 && x.topic === topic && x.partition === 0);
        return s && s.points.length > 0 && s.points.at(-1)?.[1] === 0 && r;
      },
      { what: 'the sink lag to reach 0', timeoutMs: 30_000 },
    );
    const read = lag.body.series.find((s) => s.metric === 'records-in-rate');
    expect(read?.points.some(([, v]) => v > 0)).toBe(true);

    const day = await chart(source, '24h');
    expect(day.status).toBe(200);
    expect(day.body.stepSeconds).toBe(300);
    const dayOut = day.body.series.find((s) => s.metric === 'records-out-rate');
    expect(Math.round((dayOut?.points ?? []).reduce((n, [, v]) => n + v * 300, 0))).toBe(TOTAL);
  });

  it('answers bad requests in Connect\'s error format', async () => {
    const missing = await chart('no-such-connector');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error_code: 404, message: 'Connector no-such-connector not found' });
    const badRange = await chart(source, '2d');
    expect(badRange.status).toBe(400);
    expect(badRange.body).toMatchObject({ error_code: 400 });
    const twice = await rest(host.restUrl, 'GET', `/tributary/metrics/connectors/${source}?range=1h&range=6h`);
    expect(twice.status).toBe(400);
    for (const target of ['/tributary/metrics/connectors/', `/tributary/metrics/connectors/${source}/x`, '/tributary/metrics/connectors/..%2F..%2Fconnectors', '/tributary/metrics/%2e%2e/connectors', '/metrics/', '/metrics/../connectors/x']) {
      const r = await rawRequest(host.restUrl, 'GET', target);
      expect(r.status, target).toBeGreaterThanOrEqual(400);
      expect(r.status, target).toBeLessThan(500);
      expect(r.json, target).toMatchObject({ error_code: r.status });
    }
    const post = await rawRequest(host.restUrl, 'POST', '/metrics', '{}');
    expect(post.status).toBe(405);
    expect(post.json).toMatchObject({ error_code: 405 });
  });

  it('forgets a deleted connector\'s metrics', async () => {
    expect((await rest(host.restUrl, 'DELETE', `/connectors/${source}`)).status).toBe(204);
    expect((await chart(source)).status).toBe(404);
    await eventually(async () => sample(await scrape(), 'kafka_connect_source_task_metrics_source_record_poll_total', { connector: source, task: '0' }) === undefined, {
      what: 'the deleted source to leave /metrics',
      timeoutMs: 30_000,
    });
  });
});
