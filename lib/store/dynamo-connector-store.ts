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
import { decodeConfig, decodeTaskConfigs, encodeConfig, encodeTaskConfigs } from './large-config-items.ts';
import { StoreConflictError } from './store-errors.ts';
import type { ConnectorConfig, ConnectorRecord, ConnectorState, InstanceStatus, Lease, TargetState, TaskStatus } from './store-model.ts';
import type { ConnectorStore, NewConnector } from './store-ports.ts';

export type { NewConnector } from './store-ports.ts';

/**
 * The control plane's side of the store (configs, task configs, target states, generations,
 * connector statuses, loggers) on top of the runner-facing items it inherits.
 */
export class DynamoConnectorStore extends DynamoRunnerStore implements ConnectorStore {
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
    if (!out.Item) return undefined;
    const item = unmarshall(out.Item);
    const parts = item.configParts ? await this.queryItems(pkOf(name), 'CONFIG#PART#') : [];
    return { ...toConnector(item), config: decodeConfig(item, parts) };
  }

  /** Every item of a partition (whose sort key starts with `prefix`), strongly consistent, page after page. */
  private async queryItems(pk: string, prefix?: string, projection?: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Item | undefined;
    do {
      const out = await this.call(this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: prefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: pk }, ...(prefix ? { ':prefix': { S: prefix } } : {}) },
          ...(projection ? { ProjectionExpression: projection } : {}),
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      ));
      for (const item of out.Items ?? []) items.push(unmarshall(item));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /** Reads every item of a connector in one strongly consistent query. */
  async getState(name: string): Promise<ConnectorState | undefined> {
    const items = await this.queryItems(pkOf(name));
    const config = items.find((i) => i.sk === SK.config);
    if (!config) return undefined;
    const connector = { ...toConnector(config), config: decodeConfig(config, items) };
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
      connector,
      tasks: tasks ? { generation: Number(tasks.generation), configs: decodeTaskConfigs(tasks, items, connector.config) } : undefined,
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
    const pk = pkOf(c.name);
    const tasks = c.targetState === 'STOPPED' ? [] : c.taskConfigs;
    const config = encodeConfig(this.tableName, pk, c.config);
    const taskConfigs = encodeTaskConfigs(this.tableName, pk, tasks, c.config);
    const record: ConnectorRecord = { name: c.name, config: c.config, type: c.type, targetState: c.targetState, generation: 1, version: 1, createdAt: now, updatedAt: now, ...parts(config.parts, taskConfigs.parts) };
    const items: TransactWriteItem[] = [
      { Put: { TableName: this.tableName, Item: marshall({ pk, sk: SK.config, ...record, ...config.attrs }, { removeUndefinedValues: true }), ConditionExpression: 'attribute_not_exists(pk)' } },
      { Put: { TableName: this.tableName, Item: marshall({ pk: INDEX_PK, sk: c.name, createdAt: now }) } },
      { Put: { TableName: this.tableName, Item: marshall({ pk, sk: SK.tasks, generation: 1, ...taskConfigs.attrs }) } },
      { Put: { TableName: this.tableName, Item: marshall({ pk, sk: SK.status, status: status(c.targetState, c.workerId, 1) }) } },
      ...config.writes,
      ...taskConfigs.writes,
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
    const pk = pkOf(current.name);
    const tasks = current.targetState === 'STOPPED' ? [] : change.taskConfigs;
    const config = encodeConfig(this.tableName, pk, change.config, current.configParts);
    const taskConfigs = encodeTaskConfigs(this.tableName, pk, tasks, change.config, current.taskConfigParts);
    const next: ConnectorRecord = { ...current, config: change.config, generation: current.generation + 1, version: current.version + 1, updatedAt: now, ...parts(config.parts, taskConfigs.parts) };
    const items: TransactWriteItem[] = [
      this.conditionalConfigPut(current, next, config.attrs),
      { Put: { TableName: this.tableName, Item: marshall({ pk, sk: SK.tasks, generation: next.generation, ...taskConfigs.attrs }) } },
      ...config.writes,
      ...taskConfigs.writes,
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
    const pk = pkOf(current.name);
    const newTasks = target === 'STOPPED' ? [] : opts.taskConfigs;
    const taskConfigs = newTasks ? encodeTaskConfigs(this.tableName, pk, newTasks, current.config, current.taskConfigParts) : undefined;
    const next: ConnectorRecord = { ...current, targetState: target, generation, version: current.version + 1, updatedAt: now, ...parts(current.configParts ?? 0, taskConfigs ? taskConfigs.parts : (current.taskConfigParts ?? 0)) };
    const items: TransactWriteItem[] = [
      // The config is unchanged: its part items (if any) stay as they are.
      this.conditionalConfigPut(current, next, current.configParts ? { config: {} } : {}),
      { Put: { TableName: this.tableName, Item: marshall({ pk, sk: SK.status, status: status(target, opts.workerId, generation) }) } },
      ...(taskConfigs ? [{ Put: { TableName: this.tableName, Item: marshall({ pk, sk: SK.tasks, generation, ...taskConfigs.attrs }) } }, ...taskConfigs.writes] : []),
    ];
    if (target === 'STOPPED') {
      for (let id = 0; id < opts.taskCount; id++) items.push({ Delete: { TableName: this.tableName, Key: key(pk, SK.taskStatus(id)) } });
    } else {
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
    // Inline only (no connector config at hand to differ from); ConfigTooLargeError beyond.
    encodeTaskConfigs(this.tableName, pkOf(name), configs, undefined);
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
    const keys = (await this.queryItems(pkOf(name), undefined, 'pk, sk'))
      .map((i) => ({ pk: String(i.pk), sk: String(i.sk) })).filter((k) => !k.sk.startsWith('OFFSETS#') && !/#LEASE$/.test(k.sk));
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

  /** The conditional write of the CONFIG item; `configAttrs` replace the config when it lives in part items. */
  private conditionalConfigPut(current: ConnectorRecord, next: ConnectorRecord, configAttrs: Record<string, unknown>): TransactWriteItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: marshall({ pk: pkOf(current.name), sk: SK.config, ...next, ...configAttrs }, { removeUndefinedValues: true }),
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


/** The part counts a record carries (absent when zero, so small configs keep their old item shape). */
function parts(configParts: number, taskConfigParts: number): Pick<ConnectorRecord, 'configParts' | 'taskConfigParts'> {
  return { configParts: configParts || undefined, taskConfigParts: taskConfigParts || undefined };
}
