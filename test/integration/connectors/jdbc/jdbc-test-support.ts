/**
 * Helpers for the JDBC integration tests: the two local databases (PostgreSQL and MariaDB,
 * driven with their raw drivers so setup does not depend on the code under test), random
 * table names, an in-memory offset store standing in for the runtime, and a poll loop.
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { SourceOffset, SourcePartition, SourceRecord } from '../../../../lib/plugins/connect-record.ts';
import type { OffsetStorageReader, Props, SinkTaskContext, SourceTask, SourceTaskContext, TopicPartition } from '../../../../lib/plugins/plugin-types.ts';

export type DbKind = 'postgresql' | 'mariadb';

export interface TestDb {
  readonly kind: DbKind;
  readonly url: string;
  /** The namespace tables land in: `public` or the `test` database. */
  readonly namespace: string;
  exec(sql: string, params?: unknown[]): Promise<void>;
  rows(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** Quotes an identifier. */
  q(name: string): string;
  /** Drops the tables, ignoring ones that do not exist. */
  drop(...tables: string[]): Promise<void>;
  close(): Promise<void>;
}

export const DB_KINDS: readonly DbKind[] = ['postgresql', 'mariadb'];

export async function openTestDb(kind: DbKind): Promise<TestDb> {
  if (kind === 'postgresql') {
    const client = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' });
    await client.connect();
    await client.query("SET TIME ZONE 'UTC'");
    const q = (n: string) => `"${n}"`;
    return {
      kind,
      url: 'jdbc:postgresql://127.0.0.1:5432/test?user=postgres',
      namespace: 'public',
      exec: async (sql, params) => void (await client.query(sql, params)),
      rows: async (sql, params) => (await client.query(sql, params)).rows as Record<string, unknown>[],
      q,
      drop: async (...tables) => {
        for (const t of tables) await client.query(`DROP TABLE IF EXISTS ${q(t)}`);
      },
      close: () => client.end(),
    };
  }
  const conn = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', password: '', database: 'test', dateStrings: true, supportBigNumbers: true, bigNumberStrings: true });
  await conn.query("SET time_zone = '+00:00'");
  const q = (n: string) => `\`${n}\``;
  return {
    kind,
    url: 'jdbc:mariadb://127.0.0.1:3306/test?user=root',
    namespace: 'test',
    exec: async (sql, params) => void (await conn.query(sql, params)),
    rows: async (sql, params) => (await conn.query(sql, params))[0] as Record<string, unknown>[],
    q,
    drop: async (...tables) => {
      for (const t of tables) await conn.query(`DROP TABLE IF EXISTS ${q(t)}`);
    },
    close: () => conn.end(),
  };
}

/** A lower-case table name unique to this run. */
export function randomTable(prefix: string): string {
  return `tr_${prefix}_${randomBytes(5).toString('hex')}`;
}

/** Stands in for the runtime's offset store: keeps the last committed offset per partition. */
export class MemoryOffsetStore implements OffsetStorageReader {
  private readonly stored = new Map<string, SourceOffset>();

  /** Commits the offsets of delivered records, the last one per partition winning. */
  commit(records: readonly SourceRecord[]): void {
    for (const r of records) this.stored.set(key(r.sourcePartition), r.sourceOffset);
  }

  entries(): [SourcePartition, SourceOffset][] {
    return [...this.stored].map(([k, v]) => [Object.fromEntries(JSON.parse(k) as [string, unknown][]) as SourcePartition, v]);
  }

  set(partition: SourcePartition, offset: SourceOffset): void {
    this.stored.set(key(partition), offset);
  }

  async offset(partition: SourcePartition): Promise<SourceOffset | null> {
    return this.stored.get(key(partition)) ?? null;
  }

  async offsets(partitions: readonly SourcePartition[]): Promise<Map<SourcePartition, SourceOffset | null>> {
    return new Map(partitions.map((p) => [p, this.stored.get(key(p)) ?? null]));
  }
}

const keys = new WeakMap<SourcePartition, string>();

function key(partition: SourcePartition): string {
  let k = keys.get(partition);
  if (k === undefined) {
    k = JSON.stringify(Object.keys(partition).sort().map((name) => [name, partition[name]]));
    keys.set(partition, k);
  }
  return k;
}

export function sourceContext(configs: Props, store: OffsetStorageReader): SourceTaskContext {
  return { configs, offsetStorageReader: () => store };
}

export function sinkContext(configs: Props): SinkTaskContext {
  return {
    configs,
    assignment: (): TopicPartition[] => [],
    offset: () => undefined,
    requestCommit: () => undefined,
  };
}

/**
 * Polls until `done(all records so far)` holds, committing each batch to `store` as the
 * runtime would after producing it. Throws after `timeoutMs`.
 */
export async function pollUntil(
  task: SourceTask,
  done: (records: readonly SourceRecord[]) => boolean,
  options: { timeoutMs?: number; store?: MemoryOffsetStore; maxBatches?: number } = {},
): Promise<SourceRecord[]> {
  const all: SourceRecord[] = [];
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  let batches = 0;
  while (!done(all)) {
    if (Date.now() > deadline) throw new Error(`pollUntil timed out with ${all.length} records`);
    if (options.maxBatches !== undefined && batches >= options.maxBatches) break;
    const batch = await task.poll();
    if (batch && batch.length > 0) {
      batches++;
      all.push(...batch);
      options.store?.commit(batch);
    }
  }
  return all;
}

/** The value of field `name` of a record's Struct value. */
export function field(record: SourceRecord, name: string): unknown {
  return (record.value as { get(n: string): unknown }).get(name);
}

/** Polls for `ms` milliseconds and returns whatever arrived. */
export async function pollFor(task: SourceTask, ms: number): Promise<SourceRecord[]> {
  const all: SourceRecord[] = [];
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const batch = await task.poll();
    if (batch) all.push(...batch);
  }
  return all;
}
