/**
 * The SQS source task: each poll is one ReceiveMessage call; each message becomes a record
 * with the body as a string value. A message is deleted from the queue only in `commit()`,
 * which the runtime calls after the records and their offsets are committed to Kafka, so a
 * crash before that leaves the message in the queue to be received again after its
 * visibility timeout: at least once, never lost. On a FIFO queue a group's messages are keyed
 * by their MessageGroupId, so they land in one Kafka partition in queue order.
 */
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import type { ConnectHeader, SourceRecord } from '../../plugins/connect-record.ts';
import { Schemas } from '../../plugins/connect-schema.ts';
import type { Props, SourceTask, SourceTaskContext } from '../../plugins/plugin-types.ts';
import { createLogger } from '../../observability/structured-logger.ts';
import { classifyAwsError, isTransientAwsError } from '../aws/aws-errors.ts';
import { parseSqsSourceSettings, type SqsSourceSettings } from './sqs-config.ts';
import { deleteMessages, sqsClient, sqsSdk, type SqsSdk } from './sqs-queue.ts';
import { SQS_CONNECTOR_VERSION } from './sqs-version.ts';

/** Received but not yet deleted messages above this make poll pause, so a commit comes before their visibility ends. */
const MAX_UNCOMMITTED = 2000;
/**
 * ReceiveMessage calls in flight per poll on a standard queue: SQS returns at most 10 messages
 * a call, so throughput is bound by round trips. A FIFO queue gets one call at a time, which
 * keeps a group's messages in receive order.
 */
const STANDARD_RECEIVERS = 4;
const log = createLogger('sqs-source');

export class SqsSourceTask implements SourceTask {
  private s!: SqsSourceSettings;
  private sdk!: SqsSdk;
  private client!: SQSClient;
  private partition!: Record<string, string>;
  /** Receipt handles of messages handed to the runtime and not yet deleted, in receive order. */
  private received: string[] = [];
  private backoffMs = 0;

  version(): string {
    return SQS_CONNECTOR_VERSION;
  }

  async start(props: Props, _context: SourceTaskContext): Promise<void> {
    this.s = parseSqsSourceSettings(props);
    this.sdk = await sqsSdk.load();
    this.client = sqsClient(this.sdk, this.s);
    this.partition = { QueueUrl: this.s.queueUrl };
  }

  async poll(): Promise<SourceRecord[] | null> {
    if (this.received.length >= MAX_UNCOMMITTED) return null;
    if (this.backoffMs > 0) await new Promise((r) => setTimeout(r, this.backoffMs));
    let messages: Message[];
    try {
      const receive = () =>
        this.client.send(
          new this.sdk.ReceiveMessageCommand({
            QueueUrl: this.s.queueUrl,
            MaxNumberOfMessages: this.s.maxMessages,
            WaitTimeSeconds: this.s.waitTimeSeconds,
            MessageAttributeNames: this.s.attributesEnabled || this.s.partitionKeyAttribute ? ['All'] : [],
            MessageSystemAttributeNames: ['MessageGroupId', 'SentTimestamp'],
          }),
        );
      const first = await receive();
      messages = first.Messages ?? [];
      // Only a queue that just filled a whole receive is worth parallel calls; an idle one keeps a single long poll.
      if (!this.s.fifo && messages.length === this.s.maxMessages && this.s.maxMessages > 1) {
        const more = await Promise.all(Array.from({ length: STANDARD_RECEIVERS - 1 }, receive));
        for (const r of more) messages = messages.concat(r.Messages ?? []);
      }
      this.backoffMs = 0;
    } catch (e) {
      const err = classifyAwsError(e, `queue ${this.s.queueUrl}`);
      if (!isTransientAwsError(err)) throw err;
      // Throttling or a 5xx after the SDK's own retries: wait longer each time, and go on.
      this.backoffMs = Math.min(Math.max(200, this.backoffMs * 2), 10_000);
      log.warn('SQS receive failed; retrying with backoff', { queue: this.s.queueUrl, backoffMs: this.backoffMs, error: err.message });
      return null;
    }
    const out: SourceRecord[] = [];
    for (const m of messages) {
      if (!m.ReceiptHandle) continue;
      this.received.push(m.ReceiptHandle);
      out.push(this.toRecord(m));
    }
    return out;
  }

  /** Everything `poll` returned is in Kafka now: delete those messages from the queue. */
  async commit(): Promise<void> {
    if (this.received.length === 0) return;
    const receipts = this.received;
    this.received = [];
    const { failed, retry } = await deleteMessages(this.sdk, this.client, this.s.queueUrl, receipts);
    if (retry.length) {
      this.received = retry.concat(this.received);
      log.warn('SQS could not delete some messages for now; the next commit tries again', { queue: this.s.queueUrl, count: retry.length });
    }
    // A receipt that expired (visibility timeout passed) cannot be deleted: SQS delivers that message again.
    if (failed.length) log.warn('Some SQS messages could not be deleted and will be received again', { queue: this.s.queueUrl, count: failed.length, first: failed[0]?.code });
  }

  stop(): void {
    this.client?.destroy();
  }

  private toRecord(m: Message): SourceRecord {
    const attrs = m.MessageAttributes ?? {};
    const groupId = m.Attributes?.MessageGroupId;
    const keyAttr = this.s.partitionKeyAttribute ? attrs[this.s.partitionKeyAttribute]?.StringValue : undefined;
    const key = keyAttr ?? (this.s.fifo && groupId ? groupId : (m.MessageId ?? null));
    const headers: ConnectHeader[] = [];
    if (this.s.attributesEnabled) {
      for (const [name, a] of Object.entries(attrs)) {
        if (this.s.attributesInclude.length > 0 && !this.s.attributesInclude.includes(name)) continue;
        if (a.StringValue !== undefined) headers.push({ key: name, schema: Schemas.STRING, value: a.StringValue });
      }
    }
    const sent = Number(m.Attributes?.SentTimestamp);
    return {
      topic: this.s.topic,
      sourcePartition: this.partition,
      sourceOffset: { MessageId: m.MessageId ?? '' },
      keySchema: Schemas.OPTIONAL_STRING,
      key,
      valueSchema: Schemas.OPTIONAL_STRING,
      value: m.Body ?? null,
      timestamp: Number.isFinite(sent) ? sent : null,
      headers,
    };
  }
}
