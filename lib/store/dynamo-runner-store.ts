/**
 * The runner-facing half of the DynamoDB connector store: task statuses and heartbeats, the
 * lease epochs that fence zombie runners, the topics a connector used, and source offset
 * snapshots; and the table layout and helpers both halves share. DynamoConnectorStore extends
 * it with the control plane's writes (configs, target states, generations).
 */
import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type AttributeValue,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { StoreConflictError, StoreError, StoreUnavailableError } from './store-errors.ts';
import type { ConnectorConfig, ConnectorRecord, ConnectorType, InstanceStatus, Lease, OffsetSnapshot, TargetState } from './store-model.ts';
import type { OffsetBackingStore, StatusBackingStore, TaskLeaseStore, TaskStatusWrite } from './store-ports.ts';

export const INDEX_PK = 'CONNECTORS';
export const LOGGERS_PK = 'LOGGERS';
export const MAX_TRANSACTION_ITEMS = 100;
export const pkOf = (name: string) => `CONNECTOR#${name}`;
export const SK = {
  config: 'CONFIG',
  tasks: 'TASKS',
  status: 'STATUS',
  topics: 'TOPICS',
  taskStatus: (id: number) => `TASK#${String(id).padStart(5, '0')}#STATUS`,
  lease: (id: number) => `TASK#${String(id).padStart(5, '0')}#LEASE`,
  offsets: (id: string) => `OFFSETS#${id}`,
};

export type Item = Record<string, AttributeValue>;

export class DynamoRunnerStore implements Omit<StatusBackingStore, 'putConnectorStatus' | 'resetTopics'>, TaskLeaseStore, OffsetBackingStore {
  constructor(
    protected readonly client: DynamoDBClient,
    readonly tableName: string,
  ) {}

  /**
   * Writes a task's status. With `epoch`, only if the task's lease is still at that epoch,
   * so a fenced runner can never overwrite a newer one's status; with `requireRunning`, only
   * while the connector's target is RUNNING, so a pause is never overwritten. Returns false
   * when a condition failed.
   */
  async putTaskStatus(name: string, id: number, s: Omit<InstanceStatus, 'updatedAt'>, opts: TaskStatusWrite = {}): Promise<boolean> {
    const now = Date.now();
    const statusItem = { pk: pkOf(name), sk: SK.taskStatus(id) };
    const sets = ['#s = :s'];
    const values: Record<string, unknown> = { ':s': { ...s, updatedAt: now } };
    if (opts.heartbeat) {
      sets.push('heartbeatAt = :now');
      values[':now'] = now;
    }
    if (opts.restartNote) {
      sets.push('lastRestart = :note');
      values[':note'] = opts.restartNote;
    }
    if (opts.restartAt !== undefined) {
      sets.push('restarts = list_append(if_not_exists(restarts, :empty), :r)');
      values[':empty'] = [];
      values[':r'] = [opts.restartAt];
    }
    if (opts.rerunAt !== undefined) {
      sets.push('reruns = list_append(if_not_exists(reruns, :empty), :rr)');
      values[':empty'] = [];
      values[':rr'] = [opts.rerunAt];
    }
    const update = {
      TableName: this.tableName,
      Key: marshall(statusItem),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: marshall(values, { removeUndefinedValues: true }),
    };
    if (opts.epoch === undefined) {
      await this.call(this.client.send(new UpdateItemCommand(update)));
      return true;
    }
    try {
      await this.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: this.tableName,
                Key: key(pkOf(name), SK.lease(id)),
                ConditionExpression: 'epoch = :e',
                ExpressionAttributeValues: { ':e': { N: String(opts.epoch) } },
              },
            },
            ...(opts.requireRunning
              ? [
                  {
                    ConditionCheck: {
                      TableName: this.tableName,
                      Key: key(pkOf(name), SK.config),
                      ConditionExpression: 'targetState = :running',
                      ExpressionAttributeValues: { ':running': { S: 'RUNNING' } },
                    },
                  },
                ]
              : []),
            { Update: update },
          ],
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof TransactionCanceledException) return false;
      throw unavailable(e);
    }
  }

  /** Replaces a restart history (connector-failure `restarts`, or infrastructure `reruns`) with the entries to keep. */
  async trimRestarts(name: string, id: number, keep: readonly number[], kind: 'restarts' | 'reruns' = 'restarts'): Promise<void> {
    await this.call(this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: key(pkOf(name), SK.taskStatus(id)),
        UpdateExpression: `SET ${kind} = :r`,
        ExpressionAttributeValues: marshall({ ':r': keep }),
      }),
    ));
  }

  async getLease(name: string, id: number): Promise<Lease | undefined> {
    const out = await this.call(this.client.send(new GetItemCommand({ TableName: this.tableName, Key: key(pkOf(name), SK.lease(id)), ConsistentRead: true })));
    if (!out.Item) return undefined;
    const i = unmarshall(out.Item);
    return { epoch: Number(i.epoch), owner: (i.owner as string | null) ?? null, updatedAt: Number(i.updatedAt) };
  }

  /** Gives the task to a new owner with a new epoch, fencing every earlier runner. Returns the epoch. */
  async claimLease(name: string, id: number, owner: string | null): Promise<number> {
    const out = await this.call(this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: key(pkOf(name), SK.lease(id)),
        UpdateExpression: 'SET epoch = if_not_exists(epoch, :zero) + :one, #o = :o, updatedAt = :now',
        ExpressionAttributeNames: { '#o': 'owner' },
        ExpressionAttributeValues: marshall({ ':zero': 0, ':one': 1, ':o': owner, ':now': Date.now() }),
        ReturnValues: 'ALL_NEW',
      }),
    ));
    return Number(out.Attributes?.epoch?.N);
  }

  /** Bumps the epoch only if `owner` still owns the lease (a restart after a failure). */
  async bumpEpoch(name: string, id: number, owner: string): Promise<number | undefined> {
    return this.conditionalLeaseUpdate(name, id, owner, 'SET epoch = epoch + :one, updatedAt = :now', { ':one': 1 });
  }

  /** Renews the lease if `owner` still owns it; returns its epoch, or undefined when superseded. */
  async renewLease(name: string, id: number, owner: string): Promise<number | undefined> {
    return this.conditionalLeaseUpdate(name, id, owner, 'SET updatedAt = :now', {});
  }

  /** Hands an owned lease to another execution without changing the epoch (continue-as-new). */
  async transferLease(name: string, id: number, from: string, to: string): Promise<number | undefined> {
    return this.conditionalLeaseUpdate(name, id, from, 'SET #o = :to, updatedAt = :now', { ':to': to });
  }

  private async conditionalLeaseUpdate(name: string, id: number, owner: string, expression: string, values: Record<string, unknown>): Promise<number | undefined> {
    try {
      const out = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: key(pkOf(name), SK.lease(id)),
          UpdateExpression: expression,
          ConditionExpression: '#o = :owner',
          ExpressionAttributeNames: { '#o': 'owner' },
          ExpressionAttributeValues: marshall({ ...values, ':owner': owner, ':now': Date.now() }),
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Number(out.Attributes?.epoch?.N);
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return undefined;
      throw unavailable(e);
    }
  }

  /** What a runner checks before each commit: the connector's target and generation, and the task's epoch. */
  async getRunView(name: string, id: number): Promise<{ connector: ConnectorRecord | undefined; lease: Lease | undefined }> {
    const out = await this.call(this.client.send(
      new BatchGetItemCommand({
        RequestItems: { [this.tableName]: { Keys: [key(pkOf(name), SK.config), key(pkOf(name), SK.lease(id))], ConsistentRead: true } },
      }),
    ));
    const items = (out.Responses?.[this.tableName] ?? []).map((i) => unmarshall(i));
    const c = items.find((i) => i.sk === SK.config);
    const l = items.find((i) => i.sk === SK.lease(id));
    return {
      connector: c ? toConnector(c) : undefined,
      lease: l ? { epoch: Number(l.epoch), owner: (l.owner as string | null) ?? null, updatedAt: Number(l.updatedAt) } : undefined,
    };
  }

  /** Adds topics a connector used (GET /connectors/{name}/topics). */
  async addTopics(name: string, topics: readonly string[]): Promise<void> {
    if (topics.length === 0) return;
    await this.call(this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: key(pkOf(name), SK.topics),
        UpdateExpression: 'ADD topics :t',
        ExpressionAttributeValues: { ':t': { SS: [...new Set(topics)] } },
      }),
    ));
  }

  async getOffsetSnapshots(name: string): Promise<Map<string, OffsetSnapshot>> {
    const out = await this.call(this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :o)',
        ExpressionAttributeValues: { ':pk': { S: pkOf(name) }, ':o': { S: 'OFFSETS#' } },
        ConsistentRead: true,
      }),
    ));
    const map = new Map<string, OffsetSnapshot>();
    for (const raw of out.Items ?? []) {
      const i = unmarshall(raw);
      map.set(String(i.sk).slice('OFFSETS#'.length), { topic: String(i.topic), positions: i.positions ?? {}, offsets: i.offsets ?? {} });
    }
    return map;
  }

  async putOffsetSnapshot(name: string, writer: string, snapshot: OffsetSnapshot): Promise<void> {
    await this.call(this.client.send(new PutItemCommand({ TableName: this.tableName, Item: marshall({ pk: pkOf(name), sk: SK.offsets(writer), ...snapshot }, { removeUndefinedValues: true }) })));
  }

  async deleteOffsetSnapshots(name: string): Promise<void> {
    const snapshots = await this.getOffsetSnapshots(name);
    const deletes: TransactWriteItem[] = [...snapshots.keys()].map((w) => ({ Delete: { TableName: this.tableName, Key: key(pkOf(name), SK.offsets(w)) } }));
    for (let i = 0; i < deletes.length; i += 100) await this.transact(deletes.slice(i, i + 100), 'offsets changed concurrently');
  }

  protected async transact(items: TransactWriteItem[], conflictMessage: string): Promise<void> {
    try {
      await this.client.send(new TransactWriteItemsCommand({ TransactItems: items }));
    } catch (e) {
      if (e instanceof TransactionCanceledException) {
        const reasons = e.CancellationReasons ?? [];
        if (reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')) {
          throw new StoreConflictError(conflictMessage, { cause: e });
        }
      }
      throw unavailable(e);
    }
  }

  protected async call<O>(request: Promise<O>): Promise<O> {
    try {
      return await request;
    } catch (e) {
      throw unavailable(e);
    }
  }
}

export function key(pk: string, sk: string): Item {
  return { pk: { S: pk }, sk: { S: sk } };
}

export function status(state: InstanceStatus['state'], workerId: string, generation: number): InstanceStatus {
  return { state, workerId, generation, updatedAt: Date.now() };
}

export function toConnector(i: Record<string, unknown>): ConnectorRecord {
  return {
    name: String(i.name),
    config: i.config as ConnectorConfig,
    type: i.type as ConnectorType,
    targetState: i.targetState as TargetState,
    generation: Number(i.generation),
    version: Number(i.version),
    createdAt: Number(i.createdAt),
    updatedAt: Number(i.updatedAt),
    ...(i.configParts ? { configParts: Number(i.configParts) } : {}),
    ...(i.taskConfigParts ? { taskConfigParts: Number(i.taskConfigParts) } : {}),
  };
}

export function ignoreConditionFailure(e: unknown): void {
  if (e instanceof StoreError && e.cause instanceof ConditionalCheckFailedException) return;
  throw e;
}

export function unavailable(e: unknown): StoreError {
  if (e instanceof StoreError) return e;
  if (e instanceof ConditionalCheckFailedException) return new StoreConflictError('Conditional write failed', { cause: e });
  return new StoreUnavailableError(`DynamoDB call failed: ${(e as Error).message}`, { cause: e });
}
