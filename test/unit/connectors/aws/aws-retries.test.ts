/**
 * Retries of partial failures, with the AWS client replaced by a scripted one (a real server
 * cannot be made to throttle on cue): SQS entries failed on the service side are sent again,
 * a sender fault fails naming the record; DynamoDB unprocessed items are written again, and
 * persistent throttling is handed back as retriable.
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbSinkTask } from '../../../../lib/connectors/dynamodb/dynamodb-sink-task.ts';
import { SqsSinkTask } from '../../../../lib/connectors/sqs/sqs-sink-task.ts';
import type { SinkRecord } from '../../../../lib/plugins/connect-record.ts';
import type { SinkTaskContext } from '../../../../lib/plugins/plugin-types.ts';
import { isRetriable } from '../../../../lib/runtime/runtime-errors.ts';

const context: SinkTaskContext = { configs: {}, assignment: () => [], offset: () => {}, requestCommit: () => {} };
const rec = (i: number, value: unknown = `v${i}`): SinkRecord => ({ topic: 't', kafkaPartition: 0, kafkaOffset: i, key: `k${i % 3}`, value });

interface Sent {
  input: Record<string, unknown>;
}

function scripted<T>(answers: ((input: Record<string, unknown>) => T)[]): { send: (cmd: Sent) => Promise<T>; calls: Record<string, unknown>[]; destroy: () => void } {
  const calls: Record<string, unknown>[] = [];
  return {
    calls,
    destroy: () => {},
    send: async (cmd) => {
      calls.push(cmd.input);
      const next = answers.shift();
      if (!next) throw new Error('unexpected call');
      return next(cmd.input);
    },
  };
}

describe('SQS sink retries', () => {
  const start = async () => {
    const task = new SqsSinkTask();
    await task.start({ 'sqs.queue.url': 'https://sqs.us-east-1.amazonaws.com/123456789012/q', topics: 't' }, context);
    return task;
  };

  it('sends failed entries again until SQS takes them, in batches of at most 10', async () => {
    const task = await start();
    const client = scripted([
      () => ({ Failed: [{ Id: '3', SenderFault: false, Code: 'InternalError' }, { Id: '7', SenderFault: false, Code: 'InternalError' }] }),
      () => ({ Failed: [] }),
      () => ({ Failed: [] }),
    ]);
    (task as unknown as { client: unknown }).client = client;
    await task.put(Array.from({ length: 12 }, (_, i) => rec(i)));
    const entries = client.calls.map((c) => (c.Entries as { MessageBody: string }[]).map((e) => e.MessageBody));
    expect(entries).toEqual([['v0', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8', 'v9'], ['v3', 'v7'], ['v10', 'v11']]);
  });

  it('fails on a sender fault, naming the record', async () => {
    const task = await start();
    (task as unknown as { client: unknown }).client = scripted([() => ({ Failed: [{ Id: '1', SenderFault: true, Code: 'InvalidMessageContents', Message: 'bad' }] })]);
    const err = await task.put([rec(0), rec(1)]).catch((e: unknown) => e as Error);
    expect((err as Error).message).toMatch(/offset 1: InvalidMessageContents: bad/);
    expect(isRetriable(err)).toBe(false);
  });

  it('a throttled call is retriable, and the retried put skips what SQS already took', async () => {
    const task = await start();
    const throttled = Object.assign(new Error('slow down'), { name: 'RequestThrottled', $metadata: { httpStatusCode: 400 } });
    const client = scripted<unknown>([
      () => ({ Failed: [] }),
      () => {
        throw throttled;
      },
      () => ({ Failed: [] }),
    ]);
    (task as unknown as { client: unknown }).client = client;
    const batch = Array.from({ length: 15 }, (_, i) => rec(i));
    const err = await task.put(batch).catch((e: unknown) => e);
    expect(isRetriable(err)).toBe(true);
    await task.put(batch);
    expect((client.calls[2]?.Entries as unknown[]).length).toBe(5);
  });
});

describe('DynamoDB sink retries', () => {
  const start = (extra: Record<string, string> = {}) => {
    const task = new DynamoDbSinkTask();
    task.start({ 'aws.dynamodb.pk.hash': 'key:id', 'aws.dynamodb.pk.sort': '', ...extra }, context);
    return task;
  };

  it('writes unprocessed items again; the last change per key wins within a batch', async () => {
    const task = start();
    const client = scripted([
      (input) => {
        const reqs = (input.RequestItems as Record<string, unknown[]>).t as unknown[];
        return { UnprocessedItems: { t: reqs.slice(0, 1) } };
      },
      () => ({ UnprocessedItems: {} }),
    ]);
    (task as unknown as { client: unknown }).client = client;
    await task.put([rec(0, { a: 1 }), rec(1, { a: 2 }), rec(3, { a: 3 }), rec(4, null)]);
    const first = (client.calls[0]?.RequestItems as Record<string, { PutRequest?: { Item: Record<string, unknown> }; DeleteRequest?: unknown }[]>).t ?? [];
    // k0 (offsets 0 and 3) is written once with its later value; k1 (offsets 1 and 4) is deleted.
    expect(first).toHaveLength(2);
    expect(first.find((r) => r.PutRequest)?.PutRequest?.Item).toEqual({ a: { N: '3' }, id: { S: 'k0' } });
    expect(first.find((r) => r.DeleteRequest)).toEqual({ DeleteRequest: { Key: { id: { S: 'k1' } } } });
    expect(client.calls).toHaveLength(2);
  });

  it('hands persistent throttling back as a retriable error after max.retry.time', async () => {
    const task = start({ 'aws.dynamodb.max.retry.time.seconds': '0' });
    (task as unknown as { client: unknown }).client = scripted([(input) => ({ UnprocessedItems: input.RequestItems })]);
    const err = await task.put([rec(0, { a: 1 }), rec(1, { a: 2 })]).catch((e: unknown) => e as Error);
    expect((err as Error).message).toMatch(/left 2 items unprocessed/);
    expect(isRetriable(err)).toBe(true);
  });
});
