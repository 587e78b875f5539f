/**
 * The connector store on DynamoDB: one table, one partition per connector
 * (`CONNECTOR#<name>`), and an index partition listing connector names so listing
 * never scans. Writes that can race are conditional on the connector's `version` (or a
 * lease's `epoch`); multi-item changes are one transaction.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ResourceNotFoundException,
  UpdateItemCommand,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { DynamoRunnerStore, ignoreConditionFailure, INDEX_PK, key, LOGGERS_PK, MAX_TRANSACTION_ITEMS, pkOf, SK, status, toConnector, unavailable, type Item } from './dynamo-runner-store.ts';
import { StoreConflictError } from './store-errors.ts';
import type { ConnectorConfig, ConnectorRecord, ConnectorState, ConnectorType, InstanceStatus, Lease, TargetState, TaskStatus } from './store-model.ts';

export interface NewConnector {
  readonly name: string;
  readonly config: ConnectorConfig;
  readonly type: ConnectorType;
  readonly targetState: TargetState;
  readonly taskConfigs: readonly ConnectorConfig[];
  readonly workerId: string;
}

/**
 * The control plane's side of the store (configs, task configs, target states, generations,
 * connector statuses, loggers) on top of the runner-facing items it inherits.
 */
export class DynamoConnectorStore extends DynamoRunnerStore {
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
      if (m[2] === 'STATUS') taskStatuses.push({ ...(i.status as InstanceStatus), id, restarts: i.restarts as number[] | undefined, reruns: i.reruns as number[] | undefined, heartbeatAt: i.heartbeatAt as number | undefined, lastRestart: i.lastRestart as string | undefined });
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

  /**
   * Creates a connector with its task configs and connector status in one transaction;
   * StoreConflictError if it exists. Tasks without a status item read as UNASSIGNED.
   */
  async createConnector(c: NewConnector): Promise<ConnectorRecord> {
    const now = Date.now();
    const record: ConnectorRecord = { name: c.name, config: c.config, type: c.type, targetState: c.targetState, generation: 1, version: 1, createdAt: now, updatedAt: now };
    const tasks = c.targetState === 'STOPPED' ? [] : c.taskConfigs;
    const items: TransactWriteItem[] = [
      { Put: { TableName: this.tableName, Item: marshall({ pk: pkOf(c.name), sk: SK.config, ...record }), ConditionExpression: 'attribute_not_exists(pk)' } },
      { Put: { TableName: this.tableName, Item: marshall({ pk: INDEX_PK, sk: c.name, createdAt: now }) } },
      { Put: { TableName: this.tableName, Item: marshall({ pk: pkOf(c.name), sk: SK.tasks, generation: 1, configs: tasks }) } },
      { Put: { TableName: this.tableName, Item: marshall({ pk: pkOf(c.name), sk: SK.status, status: status(c.targetState, c.workerId, 1) }) } },
    ];
    await this.transact(items, `Connector ${c.name} already exists`);
    return record;
  }

  /**
   * Stores a new config and its task configs as a new generation, in one transaction
   * conditional on the connector still being at `current.version`. Statuses of tasks beyond
   * the new task count are removed; their leases stay, so epochs never go back.
   */
  async updateConfig(
    current: ConnectorRecord,
    change: { config: ConnectorConfig; taskConfigs: readonly ConnectorConfig[]; previousTaskCount: number; workerId: string },
  ): Promise<ConnectorRecord> {
    const now = Date.now();
    const next: ConnectorRecord = { ...current, config: change.config, generation: current.generation + 1, version: current.version + 1, updatedAt: now };
    const tasks = current.targetState === 'STOPPED' ? [] : change.taskConfigs;
    const items: TransactWriteItem[] = [
      this.conditionalConfigPut(current, next),
      { Put: { TableName: this.tableName, Item: marshall({ pk: pkOf(current.name), sk: SK.tasks, generation: next.generation, configs: tasks }) } },
    ];
    for (let id = tasks.length; id < change.previousTaskCount; id++) {
      items.push({ Delete: { TableName: this.tableName, Key: key(pkOf(current.name), SK.taskStatus(id)) } });
    }
    if (current.targetState === 'PAUSED') {
      for (let id = 0; id < tasks.length; id++) items.push(this.taskStatusUpdate(current.name, id, status('PAUSED', change.workerId, next.generation)));
    }
    await this.transactAll(items, next, `Connector ${current.name} was changed concurrently`);
    return next;
  }

  /**
   * Changes the target state and the statuses that follow from it, in one transaction
   * conditional on `current.version`: PAUSED marks the connector and its tasks PAUSED;
   * RUNNING marks the connector RUNNING and its tasks UNASSIGNED until runners report;
   * STOPPED clears task configs and task statuses, as Connect does. With `taskConfigs`
   * (resuming a connector that has none), they are stored as a new generation. `taskCount`
   * is how many task status items may exist, `liveTasks` how many tasks the connector has now.
   */
  async setTargetState(
    current: ConnectorRecord,
    target: TargetState,
    opts: { taskCount: number; workerId: string; liveTasks?: number | undefined; taskConfigs?: readonly ConnectorConfig[] | undefined },
  ): Promise<ConnectorRecord> {
    const now = Date.now();
    const generation = opts.taskConfigs ? current.generation + 1 : current.generation;
    const next: ConnectorRecord = { ...current, targetState: target, generation, version: current.version + 1, updatedAt: now };
    const pk = pkOf(current.name);
    const items: TransactWriteItem[] = [
      this.conditionalConfigPut(current, next),
      { Put: { TableName: this.tableName, Item: marshall({ pk, sk: SK.status, status: status(target, opts.workerId, generation) }) } },
    ];
    if (target === 'STOPPED') {
      items.push({ Put: { TableName: this.tableName, Item: marshall({ pk, sk: SK.tasks, generation, configs: [] }) } });
      for (let id = 0; id < opts.taskCount; id++) items.push({ Delete: { TableName: this.tableName, Key: key(pk, SK.taskStatus(id)) } });
    } else {
      if (opts.taskConfigs) items.push({ Put: { TableName: this.tableName, Item: marshall({ pk, sk: SK.tasks, generation, configs: opts.taskConfigs }) } });
      const count = opts.taskConfigs?.length ?? opts.liveTasks ?? opts.taskCount;
      const taskState = target === 'PAUSED' ? 'PAUSED' : 'UNASSIGNED';
      for (let id = 0; id < count; id++) items.push(this.taskStatusUpdate(current.name, id, status(taskState, opts.workerId, generation)));
      for (let id = count; id < opts.taskCount; id++) items.push({ Delete: { TableName: this.tableName, Key: key(pk, SK.taskStatus(id)) } });
    }
    await this.transactAll(items, next, `Connector ${current.name} was changed concurrently`);
    return next;
  }

  /** Replaces the task configs, if the connector is still at `generation` (StoreConflictError otherwise). */
  async putTaskConfigs(name: string, generation: number, configs: readonly ConnectorConfig[]): Promise<void> {
    await this.transact(
      [
        {
          ConditionCheck: {
            TableName: this.tableName,
            Key: key(pkOf(name), SK.config),
            ConditionExpression: 'generation = :g',
            ExpressionAttributeValues: { ':g': { N: String(generation) } },
          },
        },
        { Put: { TableName: this.tableName, Item: marshall({ pk: pkOf(name), sk: SK.tasks, generation, configs }) } },
      ],
      `Connector ${name} was changed concurrently`,
    );
  }

  /**
   * Removes the connector: config, task configs, statuses, topics and its index entry.
   * Leases stay, so a connector created again under the same name continues their epochs and
   * a zombie runner of the old one stays fenced; offset snapshots stay, as Connect keeps a
   * deleted connector's offsets. StoreConflictError if it does not exist (or is no longer at
   * `expectedVersion`, when given).
   */
  async deleteConnector(name: string, expectedVersion?: number): Promise<void> {
    const out = await this.call(this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: pkOf(name) } },
        ProjectionExpression: 'pk, sk',
        ConsistentRead: true,
      }),
    ));
    const keys = (out.Items ?? []).map((i) => ({ pk: i.pk?.S ?? '', sk: i.sk?.S ?? '' })).filter((k) => !k.sk.startsWith('OFFSETS#') && !/#LEASE$/.test(k.sk));
    const condition =
      expectedVersion === undefined
        ? { ConditionExpression: 'attribute_exists(pk)' }
        : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': { N: String(expectedVersion) } } };
    const deletes: TransactWriteItem[] = keys.map((k) =>
      k.sk === SK.config ? { Delete: { TableName: this.tableName, Key: key(k.pk, k.sk), ...condition } } : { Delete: { TableName: this.tableName, Key: key(k.pk, k.sk) } },
    );
    if (!keys.some((k) => k.sk === SK.config)) throw new StoreConflictError(`Connector ${name} not found`);
    // The config item goes first so a connector is never half-deleted yet still listed.
    deletes.sort((a, b) => Number(b.Delete?.Key?.sk?.S === SK.config) - Number(a.Delete?.Key?.sk?.S === SK.config));
    deletes.push({ Delete: { TableName: this.tableName, Key: key(INDEX_PK, name) } });
    for (let i = 0; i < deletes.length; i += MAX_TRANSACTION_ITEMS) await this.transact(deletes.slice(i, i + MAX_TRANSACTION_ITEMS), `Connector ${name} not found`);
  }

  /**
   * Writes the connector's status if the connector exists and, with `expectedVersion`, only
   * while it is still at that version, so a status never contradicts a newer target state.
   */
  async putConnectorStatus(name: string, s: Omit<InstanceStatus, 'updatedAt'>, opts: { expectedVersion?: number } = {}): Promise<void> {
    const update = {
      TableName: this.tableName,
      Key: key(pkOf(name), SK.status),
      UpdateExpression: 'SET #s = :s',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: marshall({ ':s': { ...s, updatedAt: Date.now() } }, { removeUndefinedValues: true }),
    };
    if (opts.expectedVersion === undefined) {
      await this.call(this.client.send(new UpdateItemCommand(update))).catch(ignoreConditionFailure);
      return;
    }
    const check: TransactWriteItem = {
      ConditionCheck: {
        TableName: this.tableName,
        Key: key(pkOf(name), SK.config),
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': { N: String(opts.expectedVersion) } },
      },
    };
    await this.transact([check, { Update: update }], `Connector ${name} was changed concurrently`).catch((e: unknown) => {
      if (!(e instanceof StoreConflictError)) throw e;
    });
  }

  async resetTopics(name: string): Promise<void> {
    await this.call(this.client.send(new UpdateItemCommand({ TableName: this.tableName, Key: key(pkOf(name), SK.topics), UpdateExpression: 'REMOVE topics' })));
  }

  /** Log levels set through `/admin/loggers`, shared by every API instance. */
  async listLoggers(): Promise<Map<string, { level: string; lastModified: number }>> {
    const out = await this.call(this.client.send(
      new QueryCommand({ TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: LOGGERS_PK } }, ConsistentRead: true }),
    ));
    const map = new Map<string, { level: string; lastModified: number }>();
    for (const raw of out.Items ?? []) {
      const i = unmarshall(raw);
      map.set(String(i.sk), { level: String(i.level), lastModified: Number(i.lastModified) });
    }
    return map;
  }

  async putLogger(name: string, level: string): Promise<void> {
    await this.call(this.client.send(new PutItemCommand({ TableName: this.tableName, Item: marshall({ pk: LOGGERS_PK, sk: name, level, lastModified: Date.now() }) })));
  }

  private conditionalConfigPut(current: ConnectorRecord, next: ConnectorRecord): TransactWriteItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: marshall({ pk: pkOf(current.name), sk: SK.config, ...next }),
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': { N: String(current.version) } },
      },
    };
  }

  private taskStatusUpdate(name: string, id: number, s: InstanceStatus): TransactWriteItem {
    return {
      Update: {
        TableName: this.tableName,
        Key: key(pkOf(name), SK.taskStatus(id)),
        UpdateExpression: 'SET #s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: marshall({ ':s': s }, { removeUndefinedValues: true }),
      },
    };
  }

  /**
   * Writes items whose first one is the conditional config write. DynamoDB allows 100 items
   * per transaction: the rest (task statuses of connectors with many tasks) follow in
   * transactions that each check the config is still at `written.version`.
   */
  private async transactAll(items: TransactWriteItem[], written: ConnectorRecord, conflictMessage: string): Promise<void> {
    await this.transact(items.slice(0, MAX_TRANSACTION_ITEMS), conflictMessage);
    const check: TransactWriteItem = {
      ConditionCheck: {
        TableName: this.tableName,
        Key: key(pkOf(written.name), SK.config),
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': { N: String(written.version) } },
      },
    };
    for (let i = MAX_TRANSACTION_ITEMS; i < items.length; i += MAX_TRANSACTION_ITEMS - 1) {
      await this.transact([check, ...items.slice(i, i + MAX_TRANSACTION_ITEMS - 1)], conflictMessage);
    }
  }

}

