/**
 * The connector store on DynamoDB: one table, one partition per connector
 * (`CONNECTOR#<name>`), and an index partition listing connector names so listing
 * never scans. Writes that can race are conditional; multi-item changes are one transaction.
 */
import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ResourceNotFoundException,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type AttributeValue,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { StoreConflictError, StoreError, StoreUnavailableError } from './store-errors.ts';
import type {
  ConnectorConfig,
  ConnectorRecord,
  ConnectorState,
  ConnectorType,
  InstanceStatus,
  Lease,
  OffsetSnapshot,
  TargetState,
  TaskStatus,
} from './store-model.ts';

const INDEX_PK = 'CONNECTORS';
const pkOf = (name: string) => `CONNECTOR#${name}`;
const SK = {
  config: 'CONFIG',
  tasks: 'TASKS',
  status: 'STATUS',
  topics: 'TOPICS',
  taskStatus: (id: number) => `TASK#${String(id).padStart(5, '0')}#STATUS`,
  lease: (id: number) => `TASK#${String(id).padStart(5, '0')}#LEASE`,
  offsets: (id: string) => `OFFSETS#${id}`,
};

type Item = Record<string, AttributeValue>;

export interface NewConnector {
  readonly name: string;
  readonly config: ConnectorConfig;
  readonly type: ConnectorType;
  readonly targetState: TargetState;
  readonly taskConfigs: readonly ConnectorConfig[];
  readonly workerId: string;
}

export class DynamoConnectorStore {
  constructor(
    private readonly client: DynamoDBClient,
    readonly tableName: string,
  ) {}

  /** Creates the table if it is missing (local mode; on AWS the stack creates it). */
  async ensureTable(): Promise<void> {
    try {
      await this.client.send(new DescribeTableCommand({ TableName: this.tableName }));
      return;
    } catch (e) {
      if (!(e instanceof ResourceNotFoundException)) throw unavailable(e);
    }
    try {
      await this.client.send(
        new CreateTableCommand({
          TableName: this.tableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
        }),
      );
    } catch (e) {
      if ((e as Error).name !== 'ResourceInUseException') throw unavailable(e);
    }
  }

  async listConnectors(): Promise<string[]> {
    const names: string[] = [];
    let start: Item | undefined;
    do {
      const out = await this.call(this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: INDEX_PK } },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      ));
      for (const item of out.Items ?? []) names.push(item.sk?.S ?? '');
      start = out.LastEvaluatedKey;
    } while (start);
    return names;
  }

  async getConnector(name: string): Promise<ConnectorRecord | undefined> {
    const out = await this.call(this.client.send(new GetItemCommand({ TableName: this.tableName, Key: key(pkOf(name), SK.config), ConsistentRead: true })));
    return out.Item ? toConnector(unmarshall(out.Item)) : undefined;
  }

  /** Reads every item of a connector in one strongly consistent query. */
  async getState(name: string): Promise<ConnectorState | undefined> {
    const items: Record<string, unknown>[] = [];
    let start: Item | undefined;
    do {
      const out = await this.call(this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: pkOf(name) } },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      ));
      for (const item of out.Items ?? []) items.push(unmarshall(item));
      start = out.LastEvaluatedKey;
    } while (start);
    const config = items.find((i) => i.sk === SK.config);
    if (!config) return undefined;
    const tasks = items.find((i) => i.sk === SK.tasks);
    const status = items.find((i) => i.sk === SK.status);
    const topics = items.find((i) => i.sk === SK.topics);
    const taskStatuses: TaskStatus[] = [];
    const leases = new Map<number, Lease>();
    for (const i of items) {
      const m = /^TASK#(\d+)#(STATUS|LEASE)$/.exec(String(i.sk));
      if (!m) continue;
      const id = Number(m[1]);
      if (m[2] === 'STATUS') taskStatuses.push({ ...(i.status as InstanceStatus), id, restarts: i.restarts as number[] | undefined, heartbeatAt: i.heartbeatAt as number | undefined, lastRestart: i.lastRestart as string | undefined });
      else leases.set(id, { epoch: Number(i.epoch), owner: (i.owner as string | null) ?? null, updatedAt: Number(i.updatedAt) });
    }
    taskStatuses.sort((a, b) => a.id - b.id);
    return {
      connector: toConnector(config),
      tasks: tasks ? { generation: Number(tasks.generation), configs: tasks.configs as ConnectorConfig[] } : undefined,
      status: status?.status as InstanceStatus | undefined,
      taskStatuses,
      leases,
      topics: ((topics?.topics as Set<string> | undefined) ? [...(topics?.topics as Set<string>)] : []).sort(),
    };
  }

  /** Creates a connector with its task configs and initial statuses; StoreConflictError if it exists. */
  async createConnector(c: NewConnector): Promise<ConnectorRecord> {
    const now = Date.now();
    const record: ConnectorRecord = { name: c.name, config: c.config, type: c.type, targetState: c.targetState, generation: 1, version: 1, createdAt: now, updatedAt: now };
    const state = c.targetState === 'RUNNING' ? 'UNASSIGNED' : c.targetState;
    const tasks = c.targetState === 'STOPPED' ? [] : c.taskConfigs;
    const items: TransactWriteItem[] = [
      { Put: { TableName: this.tableName, Item: marshall({ pk: pkOf(c.name), sk: SK.config, ...record }), ConditionExpression: 'attribute_not_exists(pk)' } },
      { Put: { TableName: this.tableName, Item: marshall({ pk: INDEX_PK, sk: c.name, createdAt: now }) } },
      { Put: { TableName: this.tableName, Item: marshall({ pk: pkOf(c.name), sk: SK.tasks, generation: 1, configs: tasks }) } },
      { Put: { TableName: this.tableName, Item: marshall({ pk: pkOf(c.name), sk: SK.status, status: status(state, c.workerId, 1) }) } },
      ...tasks.map((_, id) => ({
        Put: { TableName: this.tableName, Item: marshall({ pk: pkOf(c.name), sk: SK.taskStatus(id), status: status(state === 'PAUSED' ? 'PAUSED' : 'UNASSIGNED', c.workerId, 1) }) },
      })),
    ];
    await this.transact(items, `Connector ${c.name} already exists`);
    return record;
  }

  /**
   * Stores a new config and its task configs as a new generation, if the connector is still
   * at `expectedVersion`. Task statuses beyond the new task count are removed.
   */
  async updateConfig(
    current: ConnectorRecord,
    change: { config: ConnectorConfig; taskConfigs: readonly ConnectorConfig[]; previousTaskCount: number; workerId: string },
  ): Promise<ConnectorRecord> {
    const now = Date.now();
    const next: ConnectorRecord = { ...current, config: change.config, generation: current.generation + 1, version: current.version + 1, updatedAt: now };
    const tasks = current.targetState === 'STOPPED' ? [] : change.taskConfigs;
    const items: TransactWriteItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: marshall({ pk: pkOf(current.name), sk: SK.config, ...next }),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': { N: String(current.version) } },
        },
      },
      { Put: { TableName: this.tableName, Item: marshall({ pk: pkOf(current.name), sk: SK.tasks, generation: next.generation, configs: tasks }) } },
    ];
    for (let id = tasks.length; id < change.previousTaskCount; id++) {
      items.push({ Delete: { TableName: this.tableName, Key: key(pkOf(current.name), SK.taskStatus(id)) } });
      items.push({ Delete: { TableName: this.tableName, Key: key(pkOf(current.name), SK.lease(id)) } });
    }
    await this.transact(items, `Connector ${current.name} was changed concurrently`);
    return next;
  }

  /** Changes the target state; STOPPED also clears task configs and task statuses, as Connect does. */
  async setTargetState(current: ConnectorRecord, target: TargetState, opts: { taskCount: number; workerId: string }): Promise<ConnectorRecord> {
    const now = Date.now();
    const next: ConnectorRecord = { ...current, targetState: target, version: current.version + 1, updatedAt: now };
    const items: TransactWriteItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: marshall({ pk: pkOf(current.name), sk: SK.config, ...next }),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': { N: String(current.version) } },
        },
      },
    ];
    if (target === 'STOPPED') {
      items.push({ Put: { TableName: this.tableName, Item: marshall({ pk: pkOf(current.name), sk: SK.tasks, generation: current.generation, configs: [] }) } });
      items.push({ Put: { TableName: this.tableName, Item: marshall({ pk: pkOf(current.name), sk: SK.status, status: status('STOPPED', opts.workerId, current.generation) }) } });
      for (let id = 0; id < opts.taskCount; id++) {
        items.push({ Delete: { TableName: this.tableName, Key: key(pkOf(current.name), SK.taskStatus(id)) } });
      }
    }
    await this.transact(items, `Connector ${current.name} was changed concurrently`);
    return next;
  }

  /** Replaces the task configs of the current generation (after a stop, before resuming). */
  async putTaskConfigs(name: string, generation: number, configs: readonly ConnectorConfig[]): Promise<void> {
    await this.call(this.client.send(new PutItemCommand({ TableName: this.tableName, Item: marshall({ pk: pkOf(name), sk: SK.tasks, generation, configs }) })));
  }

  /** Removes every item of the connector; StoreConflictError if it does not exist. */
  async deleteConnector(name: string): Promise<void> {
    const out = await this.call(this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: pkOf(name) } },
        ProjectionExpression: 'pk, sk',
        ConsistentRead: true,
      }),
    ));
    const keys = (out.Items ?? []).map((i) => ({ pk: i.pk?.S ?? '', sk: i.sk?.S ?? '' })).filter((k) => !k.sk.startsWith('OFFSETS#'));
    const deletes: TransactWriteItem[] = keys.map((k) =>
      k.sk === SK.config
        ? { Delete: { TableName: this.tableName, Key: key(k.pk, k.sk), ConditionExpression: 'attribute_exists(pk)' } }
        : { Delete: { TableName: this.tableName, Key: key(k.pk, k.sk) } },
    );
    deletes.push({ Delete: { TableName: this.tableName, Key: key(INDEX_PK, name) } });
    // The config item goes first so a connector is never half-deleted yet still listed.
    for (let i = 0; i < deletes.length; i += 100) await this.transact(deletes.slice(i, i + 100), `Connector ${name} not found`);
  }

  async putConnectorStatus(name: string, s: Omit<InstanceStatus, 'updatedAt'>): Promise<void> {
    await this.call(this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: key(pkOf(name), SK.status),
        UpdateExpression: 'SET #s = :s',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: marshall({ ':s': { ...s, updatedAt: Date.now() } }, { removeUndefinedValues: true }),
      }),
    )).catch(ignoreConditionFailure);
  }

  /**
   * Writes a task's status. With `epoch`, only if the task's lease is still at that epoch,
   * so a fenced runner can never overwrite a newer one's status; with `requireRunning`, only
   * while the connector's target is RUNNING, so a pause is never overwritten. Returns false
   * when a condition failed.
   */
  async putTaskStatus(name: string, id: number, s: Omit<InstanceStatus, 'updatedAt'>, opts: { epoch?: number; requireRunning?: boolean; heartbeat?: boolean; restartNote?: string; restartAt?: number } = {}): Promise<boolean> {
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

  /** Trims restart history to entries newer than `since`. */
  async trimRestarts(name: string, id: number, keep: readonly number[]): Promise<void> {
    await this.call(this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: key(pkOf(name), SK.taskStatus(id)),
        UpdateExpression: 'SET restarts = :r',
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

  async resetTopics(name: string): Promise<void> {
    await this.call(this.client.send(new UpdateItemCommand({ TableName: this.tableName, Key: key(pkOf(name), SK.topics), UpdateExpression: 'REMOVE topics' })));
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

  private async transact(items: TransactWriteItem[], conflictMessage: string): Promise<void> {
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

  private async call<O>(request: Promise<O>): Promise<O> {
    try {
      return await request;
    } catch (e) {
      throw unavailable(e);
    }
  }

}

function key(pk: string, sk: string): Item {
  return { pk: { S: pk }, sk: { S: sk } };
}

function status(state: InstanceStatus['state'], workerId: string, generation: number): InstanceStatus {
  return { state, workerId, generation, updatedAt: Date.now() };
}

function toConnector(i: Record<string, unknown>): ConnectorRecord {
  return {
    name: String(i.name),
    config: i.config as ConnectorConfig,
    type: i.type as ConnectorType,
    targetState: i.targetState as TargetState,
    generation: Number(i.generation),
    version: Number(i.version),
    createdAt: Number(i.createdAt),
    updatedAt: Number(i.updatedAt),
  };
}

function ignoreConditionFailure(e: unknown): void {
  if (e instanceof StoreError && e.cause instanceof ConditionalCheckFailedException) return;
  throw e;
}

function unavailable(e: unknown): StoreError {
  if (e instanceof StoreError) return e;
  if (e instanceof ConditionalCheckFailedException) return new StoreConflictError('Conditional write failed', { cause: e });
  return new StoreUnavailableError(`DynamoDB call failed: ${(e as Error).message}`, { cause: e });
}
