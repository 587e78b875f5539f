/**
 * The DynamoDB sink task: each `put` batch becomes PutItem / DeleteItem requests per table,
 * the last change per key winning (BatchWriteItem takes one change per key), sent 25 per
 * BatchWriteItem call (or one PutItem / DeleteItem for a single change). Unprocessed items are
 * sent again with backoff up to `aws.dynamodb.max.retry.time.seconds`, then the batch is handed
 * back as retriable. Writes replace whole items, so a batch delivered again after a crash
 * leaves the same items: the table converges exactly once.
 */
import { BatchWriteItemCommand, DeleteItemCommand, DynamoDBClient, PutItemCommand, type AttributeValue, type WriteRequest } from '@aws-sdk/client-dynamodb';
import type { SinkRecord } from '../../plugins/connect-record.ts';
import type { PartitionOffsets, Props, SinkTask, SinkTaskContext } from '../../plugins/plugin-types.ts';
import { awsClientOptions } from '../aws/aws-client-config.ts';
import { AwsTransientError, classifyAwsError } from '../aws/aws-errors.ts';
import { keyAttribute, toItem } from './dynamodb-item-mapper.ts';
import { parseDynamoSinkSettings, tableFor, type DynamoSinkSettings } from './dynamodb-sink-config.ts';

export const DYNAMODB_CONNECTOR_VERSION = '1.4.0';

const keyId = (keys: readonly [string, AttributeValue][]) => JSON.stringify(keys.map(([n, a]) => [n, a.S ?? a.N ?? Buffer.from(a.B ?? new Uint8Array()).toString('base64')]));

export class DynamoDbSinkTask implements SinkTask {
  private s!: DynamoSinkSettings;
  private client!: DynamoDBClient;

  version(): string {
    return DYNAMODB_CONNECTOR_VERSION;
  }

  start(props: Props, _context: SinkTaskContext): void {
    this.s = parseDynamoSinkSettings(props);
    this.client = new DynamoDBClient(awsClientOptions(this.s.aws));
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    for (let i = 0; i < records.length; i += this.s.batchSize) await this.write(records.slice(i, i + this.s.batchSize));
  }

  /** Every `put` is written before it returns. */
  flush(_offsets: PartitionOffsets): void {}

  stop(): void {
    this.client?.destroy();
  }

  private async write(records: readonly SinkRecord[]): Promise<void> {
    const tables = new Map<string, Map<string, WriteRequest>>();
    for (const r of records) {
      const tombstone = r.value === null || r.value === undefined;
      if (tombstone && !this.s.deleteEnabled) continue;
      const keys: [string, AttributeValue][] = [keyAttribute(this.s.hash, r)];
      if (this.s.sort) keys.push(keyAttribute(this.s.sort, r));
      const table = tableFor(this.s.tableNameFormat, r.topic);
      let changes = tables.get(table);
      if (!changes) tables.set(table, (changes = new Map()));
      const id = keyId(keys);
      changes.delete(id); // keep the latest change's position and content
      changes.set(id, tombstone ? { DeleteRequest: { Key: Object.fromEntries(keys) } } : { PutRequest: { Item: toItem(r, keys) } });
    }
    for (const [table, changes] of tables) await this.writeTable(table, [...changes.values()]);
  }

  private async writeTable(table: string, requests: WriteRequest[]): Promise<void> {
    const what = `DynamoDB table ${table}`;
    try {
      if (requests.length === 1) {
        const r = requests[0] as WriteRequest;
        if (r.PutRequest) await this.client.send(new PutItemCommand({ TableName: table, Item: r.PutRequest.Item }));
        else await this.client.send(new DeleteItemCommand({ TableName: table, Key: r.DeleteRequest?.Key }));
        return;
      }
      for (let i = 0; i < requests.length; i += 25) await this.batchWrite(table, requests.slice(i, i + 25));
    } catch (e) {
      throw classifyAwsError(e, what);
    }
  }

  private async batchWrite(table: string, requests: WriteRequest[]): Promise<void> {
    const deadline = Date.now() + this.s.maxRetryMs;
    let todo = requests;
    let delay = 50;
    for (;;) {
      const r = await this.client.send(new BatchWriteItemCommand({ RequestItems: { [table]: todo } }));
      todo = r.UnprocessedItems?.[table] ?? [];
      if (todo.length === 0) return;
      if (Date.now() + delay > deadline) throw new AwsTransientError(`DynamoDB table ${table} left ${todo.length} items unprocessed for ${this.s.maxRetryMs} ms (throttled); the batch will be written again`);
      await new Promise((res) => setTimeout(res, delay));
      delay = Math.min(delay * 2, 2000);
    }
  }
}
