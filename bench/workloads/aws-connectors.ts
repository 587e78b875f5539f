/**
 * Workloads 8 and 9 (Tributary only: Apache Kafka Connect ships no S3 or SQS connector):
 * the S3 sink writing N records as JSON and as Parquet objects to S3Mock, timed from the POST
 * until every object is uploaded; and the SQS source moving N messages from ElasticMQ into a
 * topic, timed from the POST until the topic holds them all.
 */
import { CreateBucketCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { emulatorS3Client, emulatorSqsClient } from '../../host/aws-emulator-launcher.ts';
import { uniqueName } from '../support/bench-names.ts';
import { benchS3, benchSqs } from '../support/aws-bench-servers.ts';
import { createConnector, deleteConnector, waitForProgress } from '../support/connector-calls.ts';
import type { Workload, WorkloadContext } from './workload.ts';
import type { BenchTarget } from '../support/bench-target.ts';

const SCHEMA = { type: 'struct', name: 'bench', optional: false, fields: [{ field: 'id', type: 'int64', optional: false }, { field: 'payload', type: 'string', optional: false }] };

/** Objects of `flush` records each, so the last object closes exactly at the end. */
const flushFor = (n: number) => (n % 10_000 === 0 ? 10_000 : n);

async function s3Run(target: BenchTarget, ctx: WorkloadContext, format: 'JsonFormat' | 'ParquetFormat', topic: string, n: number): Promise<number> {
  const server = await benchS3(ctx.workDir, ctx.log);
  const s3 = emulatorS3Client(server.endpoint);
  const bucket = uniqueName('bench');
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const name = uniqueName(`bench-s3-${format === 'JsonFormat' ? 'json' : 'parquet'}`);
  const flush = flushFor(n);
  const objects = async () => (await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `topics/${topic}/` }))).KeyCount ?? 0;
  const started = performance.now();
  try {
    await createConnector(target, name, {
      'connector.class': 'io.confluent.connect.s3.S3SinkConnector',
      topics: topic,
      's3.bucket.name': bucket,
      's3.region': 'us-east-1',
      'store.url': server.endpoint,
      'flush.size': String(flush),
      'format.class': `io.confluent.connect.s3.format.${format === 'JsonFormat' ? 'json' : 'parquet'}.${format}`,
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'tasks.max': '1',
    });
    let seen = 0;
    const done = await waitForProgress(target, name, async () => (seen = await objects()) >= n / flush, { deadline: ctx.deadline(), intervalMs: 100, what: () => `${n / flush} objects (${seen} so far)` });
    return (done - started) / 1000;
  } finally {
    await deleteConnector(target, name);
    s3.destroy();
  }
}

export const s3SinkThroughput: Workload = {
  id: 's3-sink',
  only: 'tributary',
  metrics: [
    { key: 's3.json.records', group: '14. S3 sink throughput', name: 'S3SinkConnector JsonFormat, 1 task (S3Mock)', label: 'records/s', unit: 'records/s', better: 'higher' },
    { key: 's3.parquet.records', group: '14. S3 sink throughput', name: 'S3SinkConnector ParquetFormat, 1 task (S3Mock)', label: 'records/s', unit: 'records/s', better: 'higher' },
  ],
  async run(target, ctx) {
    const n = ctx.options.s3Records;
    const topic = await ctx.kafka.createTopic('bench-s3-input');
    const pad = 'x'.repeat(Math.max(0, ctx.options.recordSize - 40));
    // Smaller produce batches: with the schema envelope, 5,000 records would pass the broker's 1 MB request limit.
    await ctx.kafka.produce(topic, n, (i) => JSON.stringify({ schema: SCHEMA, payload: { id: i, payload: pad } }), 1_000);
    try {
      const json = await s3Run(target, ctx, 'JsonFormat', topic, n);
      const parquet = await s3Run(target, ctx, 'ParquetFormat', topic, n);
      return { values: { 's3.json.records': n / json, 's3.parquet.records': n / parquet }, detail: { records: n, flushSize: flushFor(n), jsonSeconds: json, parquetSeconds: parquet } };
    } finally {
      await ctx.kafka.deleteTopics([topic]);
    }
  },
};

async function fillQueue(sqs: SQSClient, url: string, n: number): Promise<void> {
  // 8 batches of 10 in flight at a time.
  for (let i = 0; i < n; i += 80) {
    await Promise.all(
      Array.from({ length: Math.min(8, Math.ceil((n - i) / 10)) }, (_, b) =>
        sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: Array.from({ length: Math.min(10, n - i - b * 10) }, (_, j) => ({ Id: String(j), MessageBody: `message-${i + b * 10 + j}` })) })),
      ),
    );
  }
}

/** What the server allows one plain client: receive 10, delete them, repeat (the connector's ceiling here). */
async function directReceiveDelete(sqs: SQSClient, n: number): Promise<number> {
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('bench-direct') }))).QueueUrl as string;
  await fillQueue(sqs, url, n);
  const started = performance.now();
  for (let got = 0; got < n; ) {
    const m = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }))).Messages ?? [];
    got += m.length;
    if (m.length) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: m.map((x, i) => ({ Id: String(i), ReceiptHandle: x.ReceiptHandle ?? '' })) }));
  }
  return n / ((performance.now() - started) / 1000);
}

export const sqsSourceThroughput: Workload = {
  id: 'sqs-source',
  only: 'tributary',
  metrics: [{ key: 'sqs.source.messages', group: '15. SQS source throughput', name: 'SqsSourceConnector, max.messages 10 (ElasticMQ)', label: 'messages/s', unit: 'messages/s', better: 'higher' }],
  async run(target, ctx) {
    const n = ctx.options.sqsMessages;
    const server = await benchSqs(ctx.workDir, ctx.log);
    const sqs = emulatorSqsClient(server.endpoint);
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('bench'), Attributes: { VisibilityTimeout: '60' } }))).QueueUrl as string;
    const direct = await directReceiveDelete(sqs, Math.min(n, 1000));
    await fillQueue(sqs, url, n);
    const topic = await ctx.kafka.createTopic('bench-sqs');
    const name = uniqueName('bench-sqs-source');
    const started = performance.now();
    try {
      await createConnector(target, name, {
        'connector.class': 'com.nordstrom.kafka.connect.sqs.SqsSourceConnector',
        'sqs.queue.url': url,
        'sqs.endpoint.url': server.endpoint,
        'sqs.region': 'us-east-1',
        'sqs.max.messages': '10',
        'sqs.wait.time.seconds': '1',
        topics: topic,
        'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      });
      let at = 0;
      const done = await waitForProgress(target, name, async () => (at = await ctx.kafka.endOffset(topic)) >= n, { deadline: ctx.deadline(), what: () => `${n} messages in the topic (${at} so far)` });
      const seconds = (done - started) / 1000;
      return { values: { 'sqs.source.messages': n / seconds }, detail: { seconds, messages: n, directReceiveDeletePerSecond: direct } };
    } finally {
      await deleteConnector(target, name);
      await ctx.kafka.deleteTopics([topic]);
      sqs.destroy();
    }
  },
};
