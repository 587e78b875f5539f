/** SQS test helpers on ElasticMQ: queues, batched sends, draining a queue, counting what is left. */
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

export async function createQueue(sqs: SQSClient, name: string, attributes: Record<string, string> = {}): Promise<string> {
  const fifo = name.endsWith('.fifo');
  const r = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '3', ...(fifo ? { FifoQueue: 'true' } : {}), ...attributes } }));
  return r.QueueUrl as string;
}

/** Sends bodies in batches of 10; with `group`, to a FIFO queue in that message group. */
export async function sendMessages(sqs: SQSClient, url: string, bodies: readonly string[], group?: (i: number) => string): Promise<void> {
  for (let i = 0; i < bodies.length; i += 10) {
    const entries = bodies.slice(i, i + 10).map((MessageBody, j) => ({
      Id: String(j),
      MessageBody,
      ...(group ? { MessageGroupId: group(i + j), MessageDeduplicationId: `d${i + j}` } : {}),
    }));
    const r = await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries }));
    if (r.Failed?.length) throw new Error(`send failed: ${JSON.stringify(r.Failed)}`);
  }
}

/** Messages visible plus in flight. */
export async function messagesLeft(sqs: SQSClient, url: string): Promise<number> {
  const r = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] }));
  const a = r.Attributes ?? {};
  return Number(a.ApproximateNumberOfMessages ?? 0) + Number(a.ApproximateNumberOfMessagesNotVisible ?? 0) + Number(a.ApproximateNumberOfMessagesDelayed ?? 0);
}

export interface ReceivedMessage {
  readonly body: string;
  readonly groupId: string | undefined;
  readonly attributes: Record<string, string>;
}

/** Receives and deletes until `expected` messages came or the queue stays empty for `quietMs`. */
export async function drainQueue(sqs: SQSClient, url: string, expected: number, quietMs = 3000): Promise<ReceivedMessage[]> {
  const out: ReceivedMessage[] = [];
  let lastData = Date.now();
  while (out.length < expected || Date.now() - lastData < 500) {
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['MessageGroupId'], MessageAttributeNames: ['All'] }));
    const msgs = r.Messages ?? [];
    if (msgs.length === 0) {
      if (Date.now() - lastData > quietMs) break;
      continue;
    }
    lastData = Date.now();
    for (const m of msgs) {
      const attributes: Record<string, string> = {};
      for (const [k, v] of Object.entries(m.MessageAttributes ?? {})) attributes[k] = v.StringValue ?? '';
      out.push({ body: m.Body ?? '', groupId: m.Attributes?.MessageGroupId, attributes });
    }
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: msgs.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })) }));
  }
  return out;
}
