/**
 * One topic-to-table mapping against the table's schema: checks that the keyspace, table and
 * mapped columns exist and that the primary key is mapped, then turns each record into the
 * parameters of a prepared upsert (`INSERT … USING TIMESTAMP ? [AND TTL ?]`) or, for a record
 * whose non-key columns are all null (a tombstone) when deletes are enabled, of a prepared
 * `DELETE … USING TIMESTAMP ? WHERE <primary key>`.
 */
import type { Client } from 'cassandra-driver';
import type { SinkRecord } from '../../plugins/connect-record.ts';
import { convertTime, readField, type FieldRef } from './cassandra-mapping.ts';
import type { ConsistencyLevel, TableSpec } from './cassandra-sink-config.ts';
import { cassandraDriver, type CassandraDriver } from './cassandra-session.ts';
import { cqlConverter, type CqlType, type ToCql } from './cassandra-values.ts';
import { CassandraSchemaError, CassandraWriteError } from './errors.ts';

interface Column {
  readonly name: string;
  readonly type: CqlType;
}

/** A statement for one record: its query, its parameters and the partition it writes. */
export interface RecordStatement {
  readonly query: string;
  readonly params: unknown[];
  readonly partition: string;
}

/** The driver's names of the consistency levels, by the DataStax connector's names. */
const CONSISTENCY: Record<ConsistencyLevel, keyof CassandraDriver['types']['consistencies']> = {
  ANY: 'any',
  ONE: 'one',
  TWO: 'two',
  THREE: 'three',
  QUORUM: 'quorum',
  ALL: 'all',
  LOCAL_QUORUM: 'localQuorum',
  EACH_QUORUM: 'eachQuorum',
  LOCAL_ONE: 'localOne',
};

const quote = (id: string) => `"${id.replaceAll('"', '""')}"`;

/**
 * Checks a mapping against the cluster's schema; returns what is wrong, as messages about the
 * mapping key (the only key that names the table).
 */
export async function checkTable(client: Client, spec: TableSpec): Promise<{ errors: string[]; columns?: Column[]; primaryKey?: Column[]; partitionKey?: Column[] }> {
  const where = `${spec.keyspace}.${spec.table}`;
  const { types } = await cassandraDriver.load();
  if (!client.metadata.keyspaces[spec.keyspace]) await client.metadata.refreshKeyspace(spec.keyspace).catch(() => undefined);
  if (!client.metadata.keyspaces[spec.keyspace]) return { errors: [`Keyspace ${quote(spec.keyspace)} does not exist (${spec.prefix}mapping).`] };
  const table = await client.metadata.getTable(spec.keyspace, spec.table);
  if (!table) return { errors: [`Table ${where} does not exist in keyspace ${quote(spec.keyspace)} (${spec.prefix}mapping).`] };
  const columns: Column[] = table.columns.map((c) => ({ name: c.name, type: c.type as CqlType }));
  const partitionKey: Column[] = table.partitionKeys.map((c) => ({ name: c.name, type: c.type as CqlType }));
  const primaryKey: Column[] = [...partitionKey, ...table.clusteringKeys.map((c) => ({ name: c.name, type: c.type as CqlType }))];
  const errors: string[] = [];
  for (const { column } of spec.mapping.columns) {
    if (!columns.some((c) => c.name === column)) errors.push(`The mapping names column ${quote(column)}, which table ${where} does not have; its columns: ${columns.map((c) => c.name).join(', ')}.`);
  }
  if (columns.some((c) => c.type.code === types.dataTypes.counter)) errors.push(`Table ${where} has counter columns, which this sink does not write.`);
  const unmapped = primaryKey.filter((k) => !spec.mapping.columns.some((c) => c.column === k.name));
  if (unmapped.length) errors.push(`Primary key column(s) ${unmapped.map((k) => quote(k.name)).join(', ')} of ${where} must be mapped.`);
  return { errors, columns, primaryKey, partitionKey };
}

export class TableWriter {
  /** The driver's code of the table's consistency level, for its writes. */
  readonly consistency: number;
  private readonly upsert: string;
  private readonly delete: string;
  private readonly mapped: readonly { readonly column: Column; readonly field: FieldRef; readonly key: boolean }[];
  private readonly keyColumns: readonly { readonly column: Column; readonly field: FieldRef }[];
  private readonly partitionIndexes: readonly number[];
  private readonly withTtl: boolean;
  /** True when some mapped column is outside the primary key: only then can a record be a delete. */
  private readonly canDelete: boolean;
  private readonly toCql: ToCql;

  private constructor(
    readonly spec: TableSpec,
    columns: readonly Column[],
    primaryKey: readonly Column[],
    partitionKey: readonly Column[],
    private readonly types: CassandraDriver['types'],
  ) {
    this.toCql = cqlConverter(types);
    this.consistency = types.consistencies[CONSISTENCY[spec.consistencyLevel]];
    const byName = new Map(columns.map((c) => [c.name, c]));
    const isKey = (name: string) => primaryKey.some((k) => k.name === name);
    this.mapped = spec.mapping.columns.map(({ column, field }) => ({ column: byName.get(column) as Column, field, key: isKey(column) }));
    this.keyColumns = primaryKey.map((k) => ({ column: k, field: spec.mapping.columns.find((c) => c.column === k.name)?.field as FieldRef }));
    this.partitionIndexes = partitionKey.map((p) => primaryKey.findIndex((k) => k.name === p.name));
    this.withTtl = spec.mapping.ttl !== undefined || spec.ttl >= 0;
    this.canDelete = spec.deletesEnabled && this.mapped.some((m) => !m.key);
    const table = `${quote(spec.keyspace)}.${quote(spec.table)}`;
    const names = this.mapped.map((m) => quote(m.column.name)).join(', ');
    const marks = this.mapped.map(() => '?').join(', ');
    this.upsert = `INSERT INTO ${table} (${names}) VALUES (${marks}) USING TIMESTAMP ?${this.withTtl ? ' AND TTL ?' : ''}`;
    this.delete = `DELETE FROM ${table} USING TIMESTAMP ? WHERE ${primaryKey.map((k) => `${quote(k.name)} = ?`).join(' AND ')}`;
  }

  /** Checks the table and builds its writer; throws CassandraSchemaError naming the mapping key. */
  static async open(client: Client, spec: TableSpec): Promise<TableWriter> {
    const checked = await checkTable(client, spec);
    if (checked.errors.length || !checked.columns || !checked.primaryKey || !checked.partitionKey) {
      throw new CassandraSchemaError(checked.errors.join(' '), { key: `${spec.prefix}mapping` });
    }
    return new TableWriter(spec, checked.columns, checked.primaryKey, checked.partitionKey, (await cassandraDriver.load()).types);
  }

  /** The statements to prepare ahead of the first record. */
  queries(): string[] {
    return this.canDelete ? [this.upsert, this.delete] : [this.upsert];
  }

  /** The statement for a record; throws CassandraWriteError when the record does not fit the mapping. */
  statement(r: SinkRecord): RecordStatement {
    const values = this.mapped.map((m) => {
      if (m.field.source === 'now') return this.types.TimeUuid.now();
      const v = readField(r, m.field);
      if (v.missing) throw this.fail(r, `it has no field ${m.field.text} (mapped to column ${m.column.name})`);
      if (v.value === null && m.key) throw this.fail(r, `primary key column ${m.column.name} cannot be mapped to null (${m.field.text} is null)`);
      try {
        return this.toCql(v.value, m.column.type);
      } catch (e) {
        throw this.fail(r, `${m.field.text} cannot be written to column ${m.column.name}: ${(e as Error).message}`);
      }
    });
    const keyValues = this.keyColumns.map((k) => values[this.mapped.findIndex((m) => m.column.name === k.column.name)]);
    const partition = JSON.stringify(this.partitionIndexes.map((i) => keyValues[i]), (_, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));
    const timestamp = this.timestamp(r);
    if (this.canDelete && this.mapped.every((m, i) => m.key || m.field.source === 'now' || values[i] === null)) {
      return { query: this.delete, params: [timestamp, ...keyValues], partition };
    }
    const params = values.map((v, i) => (v === null && this.spec.nullToUnset && !this.mapped[i]?.key ? this.types.unset : v));
    params.push(timestamp);
    if (this.withTtl) params.push(this.ttl(r));
    return { query: this.upsert, params, partition };
  }

  /** Write time in microseconds: the mapped `__timestamp`, else the record's timestamp, else the node's clock. */
  private timestamp(r: SinkRecord): unknown {
    const ref = this.spec.mapping.timestamp;
    if (ref) {
      const v = this.number(r, ref, '__timestamp');
      if (v !== null) return convertTime(v, this.spec.timestampTimeUnit, 'MICROSECONDS');
    }
    return r.timestamp === null || r.timestamp === undefined ? this.types.unset : BigInt(r.timestamp) * 1000n;
  }

  /** TTL in seconds: the mapped `__ttl`, else the `ttl` setting, both in `ttlTimeUnit`. */
  private ttl(r: SinkRecord): unknown {
    const ref = this.spec.mapping.ttl;
    const mapped = ref ? this.number(r, ref, '__ttl') : null;
    const amount = mapped ?? (this.spec.ttl >= 0 ? this.spec.ttl : null);
    return amount === null ? this.types.unset : Number(convertTime(amount, this.spec.ttlTimeUnit, 'SECONDS'));
  }

  private number(r: SinkRecord, ref: FieldRef, what: string): number | bigint | null {
    const v = readField(r, ref);
    if (v.missing) throw this.fail(r, `it has no field ${ref.text} (mapped to ${what})`);
    if (v.value === null) return null;
    if (typeof v.value === 'number' || typeof v.value === 'bigint') return v.value;
    if (typeof v.value === 'string' && /^-?\d+$/.test(v.value.trim())) return BigInt(v.value.trim());
    throw this.fail(r, `${ref.text}, mapped to ${what}, is ${JSON.stringify(v.value)}, not a number`);
  }

  private fail(r: SinkRecord, why: string): CassandraWriteError {
    return new CassandraWriteError(`The record at ${r.topic}-${r.kafkaPartition}@${r.kafkaOffset} cannot be written to ${this.spec.keyspace}.${this.spec.table}: ${why}. Check ${this.spec.prefix}mapping.`);
  }
}
