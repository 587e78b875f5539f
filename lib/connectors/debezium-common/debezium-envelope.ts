/**
 * Debezium's change event shapes: the key and value structs of a table, the source block's
 * common fields, and the envelope `{before, after, source, transaction, op, ts_ms, ts_us, ts_ns}`.
 * Topic `<prefix>.<namespace>.<table>`, schemas `<topic>.Key`, `<topic>.Value`, `<topic>.Envelope`.
 */
import { SchemaBuilder, Schemas, Struct, type Schema } from '../../plugins/connect-schema.ts';
import type { SourceOffset, SourcePartition, SourceRecord } from '../../plugins/connect-record.ts';

/** The Debezium release whose output these connectors reproduce (source.version). */
export const DEBEZIUM_COMPAT_VERSION = '3.6.1.Final';

export type Op = 'r' | 'c' | 'u' | 'd';

export interface CdcColumn {
  readonly name: string;
  /** Connect schema of the column, optional when the column is nullable. */
  readonly schema: Schema;
}

/** Everything needed to emit events of one captured table. */
export interface CdcTableSchema {
  readonly namespace: string;
  readonly table: string;
  readonly topic: string;
  readonly columns: readonly CdcColumn[];
  readonly keyColumns: readonly string[];
  readonly keySchema: Schema | null;
  readonly valueSchema: Schema;
  readonly envelopeSchema: Schema;
}

const SNAPSHOT_ENUM = 'true,first,first_in_data_collection,last_in_data_collection,last,false,incremental';

/** Starts a source block schema with the fields every Debezium connector has. */
export function sourceSchemaBuilder(name: string): SchemaBuilder {
  const snapshot = new SchemaBuilder('STRING').optional().name('io.debezium.data.Enum').version(1).parameter('allowed', SNAPSHOT_ENUM).defaultValue('false').build();
  return SchemaBuilder.struct()
    .name(name)
    .version(1)
    .field('version', Schemas.STRING)
    .field('connector', Schemas.STRING)
    .field('name', Schemas.STRING)
    .field('ts_ms', Schemas.INT64)
    .field('snapshot', snapshot)
    .field('db', Schemas.STRING)
    .field('sequence', Schemas.OPTIONAL_STRING)
    .field('ts_us', Schemas.OPTIONAL_INT64)
    .field('ts_ns', Schemas.OPTIONAL_INT64);
}

const TRANSACTION_BLOCK = SchemaBuilder.struct()
  .optional()
  .name('event.block')
  .version(1)
  .field('id', Schemas.STRING)
  .field('total_order', Schemas.INT64)
  .field('data_collection_order', Schemas.INT64)
  .build();

/** Builds the key, value and envelope schemas of a table. */
export function tableSchema(o: { prefix: string; namespace: string; table: string; columns: readonly CdcColumn[]; keyColumns: readonly string[]; sourceSchema: Schema }): CdcTableSchema {
  const topic = `${o.prefix}.${o.namespace}.${o.table}`;
  const value = SchemaBuilder.struct().optional().name(`${topic}.Value`);
  for (const c of o.columns) value.field(c.name, c.schema);
  const valueSchema = value.build();
  let keySchema: Schema | null = null;
  if (o.keyColumns.length > 0) {
    const key = SchemaBuilder.struct().name(`${topic}.Key`);
    for (const k of o.keyColumns) {
      const col = o.columns.find((c) => c.name === k);
      if (col) key.field(k, col.schema);
    }
    keySchema = key.build();
  }
  const envelopeSchema = SchemaBuilder.struct()
    .name(`${topic}.Envelope`)
    .version(2)
    .field('before', valueSchema)
    .field('after', valueSchema)
    .field('source', o.sourceSchema)
    .field('transaction', TRANSACTION_BLOCK)
    .field('op', Schemas.STRING)
    .field('ts_ms', Schemas.OPTIONAL_INT64)
    .field('ts_us', Schemas.OPTIONAL_INT64)
    .field('ts_ns', Schemas.OPTIONAL_INT64)
    .build();
  return { namespace: o.namespace, table: o.table, topic, columns: o.columns, keyColumns: o.keyColumns, keySchema, valueSchema, envelopeSchema };
}

/** A row (column name → Connect value) as the table's value struct; absent columns are null. */
export function rowStruct(t: CdcTableSchema, row: Readonly<Record<string, unknown>>): Struct {
  const s = new Struct(t.valueSchema);
  for (const c of t.columns) s.put(c.name, row[c.name] ?? null);
  return s;
}

export interface ChangeEvent {
  readonly table: CdcTableSchema;
  readonly op: Op;
  readonly before: Readonly<Record<string, unknown>> | null;
  readonly after: Readonly<Record<string, unknown>> | null;
  readonly source: Struct;
  readonly partition: SourcePartition;
  readonly offset: SourceOffset;
}

/** The change record, and for a delete with `tombstones.on.delete`, the tombstone after it. */
export function changeRecords(e: ChangeEvent, tombstones: boolean): SourceRecord[] {
  const t = e.table;
  const row = e.after ?? e.before;
  let key: Struct | null = null;
  if (t.keySchema && row) {
    key = new Struct(t.keySchema);
    for (const k of t.keyColumns) key.put(k, row[k] ?? null);
  }
  const nowUs = Math.round((performance.timeOrigin + performance.now()) * 1000);
  const value = new Struct(t.envelopeSchema)
    .put('before', e.before ? rowStruct(t, e.before) : null)
    .put('after', e.after ? rowStruct(t, e.after) : null)
    .put('source', e.source)
    .put('transaction', null)
    .put('op', e.op)
    .put('ts_ms', Math.floor(nowUs / 1000))
    .put('ts_us', nowUs)
    .put('ts_ns', BigInt(nowUs) * 1000n);
  const base = { topic: t.topic, keySchema: t.keySchema, key, sourcePartition: e.partition, sourceOffset: e.offset };
  const out: SourceRecord[] = [{ ...base, valueSchema: t.envelopeSchema, value }];
  if (e.op === 'd' && tombstones) out.push({ ...base, valueSchema: null, value: null });
  return out;
}

/** Debezium's heartbeat record: topic `<heartbeat.topics.prefix>.<topic.prefix>`, key {serverName}, value {ts_ms}. */
export function heartbeatRecord(o: { topicPrefix: string; heartbeatPrefix: string; partition: SourcePartition; offset: SourceOffset }): SourceRecord {
  const keySchema = SchemaBuilder.struct().name('io.debezium.connector.common.ServerNameKey').version(1).field('serverName', Schemas.STRING).build();
  const valueSchema = SchemaBuilder.struct().name('io.debezium.connector.common.Heartbeat').version(1).field('ts_ms', Schemas.INT64).build();
  return {
    topic: `${o.heartbeatPrefix}.${o.topicPrefix}`,
    keySchema,
    key: new Struct(keySchema).put('serverName', o.topicPrefix),
    valueSchema,
    value: new Struct(valueSchema).put('ts_ms', Date.now()),
    sourcePartition: o.partition,
    sourceOffset: o.offset,
  };
}
