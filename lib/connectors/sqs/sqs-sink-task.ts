/**
 * The SQS sink task: sends each `put` batch with SendMessageBatch, up to 10 messages and
 * 256 KiB per call. Entries SQS failed on its side are sent again with backoff; an entry it
 * rejects as the sender's fault fails the task naming the record. On a FIFO queue the group
 * is the record key and the deduplication ID is `<topic>-<partition>-<offset>`, so a batch
 * delivered again within SQS's 5-minute window is not duplicated.
 */
import type { MessageAttributeValue, SendMessageBatchRequestEntry, SQSClient } from '@aws-sdk/client-sqs';
import { JsonConverter } from '../../converters/json-converter.ts';
import type { SinkRecord } from '../../plugins/connect-record.ts';
import type { PartitionOffsets, Props, SinkTask, SinkTaskContext } from '../../plugins/plugin-types.ts';
import { createLogger } from '../../observability/structured-logger.ts';
import { AwsDataError, AwsTransientError, classifyAwsError } from '../aws/aws-errors.ts';
import { parseSqsSinkSettings, type SqsSettings } from './sqs-config.ts';
import { sqsClient, sqsSdk, type SqsSdk } from './sqs-queue.ts';
import { SQS_CONNECTOR_VERSION } from './sqs-version.ts';

const MAX_BATCH = 10;
const MAX_BATCH_BYTES = 256 * 1024;
const ENTRY_ATTEMPTS = 8;
const log = createLogger('sqs-sink');

const recordId = (r: SinkRecord) => `${r.topic}-${r.kafkaPartition}-${r.kafkaOffset}`;

export class SqsSinkTask implements SinkTask {
  private s!: SqsSettings;
  private sdk!: SqsSdk;
  private client!: SQSClient;
  private readonly json = new JsonConverter();
  /** Records of the current batch SQS accepted: a retried `put` sends only the others. */
  private sentInBatch = new Set<string>();

  version(): string {
    return SQS_CONNECTOR_VERSION;
  }

  async start(props: Props, _context: SinkTaskContext): Promise<void> {
    this.s = parseSqsSinkSettings(props);
    this.sdk = await sqsSdk.load();
    this.client = sqsClient(this.sdk, this.s);
    this.json.configure({ 'schemas.enable': 'false' }, false);
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    const entries: { record: SinkRecord; entry: SendMessageBatchRequestEntry; size: number }[] = [];
    for (const r of records) {
      if (r.value === null || r.value === undefined) continue; // SQS has no empty messages
      if (this.sentInBatch.has(recordId(r))) continue;
      const entry = this.toEntry(r);
      entries.push({ record: r, entry, size: Buffer.byteLength(entry.MessageBody ?? '') + 200 });
    }
    let batch: typeof entries = [];
    let bytes = 0;
    for (const e of entries) {
      if (batch.length === MAX_BATCH || (batch.length > 0 && bytes + e.size > MAX_BATCH_BYTES)) {
        await this.send(batch);
        batch = [];
        bytes = 0;
      }
      batch.push(e);
      bytes += e.size;
    }
    if (batch.length) await this.send(batch);
    this.sentInBatch.clear();
  }

  /** Every `put` is sent before it returns. */
  flush(_offsets: PartitionOffsets): void {}

  stop(): void {
    this.client?.destroy();
  }

  private async send(batch: { record: SinkRecord; entry: SendMessageBatchRequestEntry }[]): Promise<void> {
    let todo = batch.map((b, i) => ({ ...b, entry: { ...b.entry, Id: String(i) } }));
    let delay = 100;
    for (let attempt = 1; ; attempt++) {
      let failed: { Id?: string; SenderFault?: boolean; Code?: string; Message?: string }[];
      try {
        const r = await this.client.send(new this.sdk.SendMessageBatchCommand({ QueueUrl: this.s.queueUrl, Entries: todo.map((t) => t.entry) }));
        failed = r.Failed ?? [];
      } catch (e) {
        throw classifyAwsError(e, `queue ${this.s.queueUrl}`);
      }
      const failedIds = new Set(failed.map((f) => f.Id));
      for (const t of todo) if (!failedIds.has(t.entry.Id)) this.sentInBatch.add(recordId(t.record));
      if (failed.length === 0) return;
      const byId = new Map(todo.map((t) => [t.entry.Id, t]));
      const fatal = failed.find((f) => f.SenderFault);
      if (fatal) {
        const r = byId.get(fatal.Id ?? '')?.record;
        throw new AwsDataError(`SQS rejected the message of record at topic '${r?.topic}', partition ${r?.kafkaPartition}, offset ${r?.kafkaOffset}: ${fatal.Code}: ${fatal.Message}`);
      }
      if (attempt >= ENTRY_ATTEMPTS) throw new AwsTransientError(`SQS failed ${failed.length} messages ${attempt} times: ${failed[0]?.Code}: ${failed[0]?.Message}`);
      log.warn('SQS failed some messages of a batch; sending them again', { queue: this.s.queueUrl, failed: failed.length, attempt });
      await new Promise((res) => setTimeout(res, delay));
      delay = Math.min(delay * 2, 5000);
      todo = todo.filter((t) => failedIds.has(t.entry.Id));
    }
  }

  private toEntry(r: SinkRecord): SendMessageBatchRequestEntry {
    const v = r.value;
    const body = typeof v === 'string' ? v : v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : String(this.json.fromConnectData(r.topic, r.valueSchema, v));
    const entry: SendMessageBatchRequestEntry = { Id: '', MessageBody: body };
    if (this.s.fifo) {
      entry.MessageGroupId = r.key === null || r.key === undefined ? 'default' : typeof r.key === 'string' ? r.key : String(this.json.fromConnectData(r.topic, r.keySchema, r.key));
      entry.MessageDeduplicationId = recordId(r).slice(-128);
    }
    if (this.s.attributesEnabled && r.headers?.length) {
      const attrs: Record<string, MessageAttributeValue> = {};
      for (const h of r.headers) {
        if (this.s.attributesInclude.length > 0 && !this.s.attributesInclude.includes(h.key)) continue;
        if (h.value === null || h.value === undefined || Object.keys(attrs).length >= 10) continue;
        attrs[h.key] = { DataType: 'String', StringValue: typeof h.value === 'string' ? h.value : JSON.stringify(h.value) };
      }
      if (Object.keys(attrs).length) entry.MessageAttributes = attrs;
    }
    return entry;
  }
}
