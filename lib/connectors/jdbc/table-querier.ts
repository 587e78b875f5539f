/**
 * Reads one table (or the configured query) in one of the four modes, turning rows into
 * SourceRecords whose offsets say exactly where the next read resumes.
 */
import { SchemaBuilder, Struct, type Schema } from '../../plugins/connect-schema.ts';
import type { SourcePartition, SourceRecord } from '../../plugins/connect-record.ts';
import { mapColumn, toInt64, type FieldMapping, type MappingOptions } from './column-type-mapper.ts';
import { JdbcError, JdbcTableNotFoundError, JdbcValueError } from './errors.ts';
import type { JdbcClient, RowCursor } from './jdbc-client.ts';
import type { SourceMode } from './jdbc-source-config.ts';
import { offsetToMap, type TimestampIncrementingOffset } from './source-offsets.ts';
import { buildBulkQuery, buildIncrementalQuery, buildTimestampTieQuery, type CriteriaSpec, type QuerySource } from './source-query-builder.ts';
import type { ColumnMeta, SqlDialect, TableColumn } from './sql-dialect.ts';
import { compareTimestamps, formatDbTimestamp, parseDbTimestamp, preciseFromMillis, type PreciseTimestamp } from './zoned-time.ts';

export interface QuerierOptions {
  readonly dialect: SqlDialect;
  readonly mode: SourceMode;
  readonly from: QuerySource;
  /** `schema.table` / `db.table`, or "query": used in messages. */
  readonly label: string;
  readonly topic: string;
  readonly partition: SourcePartition;
  /** The Struct schema name: the table name in table mode, none for a query. */
  readonly schemaName: string | undefined;
  readonly incrementingColumn: string | null;
  readonly timestampColumns: readonly string[];
  readonly offset: TimestampIncrementingOffset;
  readonly timestampInitialMs: number | null;
  readonly batchMaxRows: number;
  readonly delayMs: number;
  readonly suffix: string;
  readonly mapping: MappingOptions;
}

interface RowMapping {
  readonly signature: string;
  readonly schema: Schema;
  readonly fields: readonly FieldMapping[];
  readonly incrementingIndex: number;
  readonly timestampIndexes: readonly number[];
}

export interface QuerierBatch {
  readonly records: SourceRecord[];
  /** True when this pass over the table is complete and the poll interval applies. */
  readonly done: boolean;
}

export class TableQuerier {
  /** When the last complete pass finished (epoch ms); 0 means due now. */
  lastUpdate = 0;
  private offset: TimestampIncrementingOffset;
  private cursor: RowCursor | null = null;
  private rowMapping: RowMapping | null = null;
  private incrementingColumn: string | null;

  constructor(private readonly o: QuerierOptions) {
    this.offset = o.offset;
    this.incrementingColumn = o.incrementingColumn;
  }

  get label(): string {
    return this.o.label;
  }

  /** True in the middle of a pass: the next poll should continue without waiting. */
  get querying(): boolean {
    return this.cursor !== null;
  }

  get currentOffset(): TimestampIncrementingOffset {
    return this.offset;
  }

  /**
   * Table mode: checks the table exists, finds the auto-increment column when none is named, and
   * (validate.non.null) that offset columns are NOT NULL.
   */
  async prepare(client: JdbcClient, validateNonNull: boolean): Promise<void> {
    if (!('table' in this.o.from) || this.o.mode === 'bulk') return;
    const { sql, params } = client.dialect.describeColumns(this.o.from.table);
    const r = await client.query(sql, params);
    const columns: TableColumn[] = r.rows.map((row) => ({
      name: String(row[0]),
      nullable: String(row[1]).toUpperCase() === 'YES',
      typeName: String(row[2]),
      autoIncrement: row[3] === true || row[3] === 1 || row[3] === '1' || row[3] === 't',
    }));
    if (columns.length === 0) throw new JdbcTableNotFoundError(this.o.label, `Table ${this.o.label} does not exist or has no columns`);
    const find = (name: string) => columns.find((c) => c.name === name) ?? columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
    if (this.o.mode === 'incrementing' || this.o.mode === 'timestamp+incrementing') {
      if (this.incrementingColumn === null || this.incrementingColumn === '') {
        const auto = columns.find((c) => c.autoIncrement);
        if (!auto) throw new JdbcError(`Table ${this.o.label} has no auto-increment column; set incrementing.column.name`);
        this.incrementingColumn = auto.name;
      }
      const inc = find(this.incrementingColumn);
      if (!inc) throw new JdbcError(`Incrementing column ${this.incrementingColumn} not found in table ${this.o.label}`);
      if (validateNonNull && inc.nullable) {
        throw new JdbcError(`Cannot make incremental queries using incrementing column ${inc.name} on ${this.o.label} because this column is nullable.`);
      }
    }
    if (this.o.mode === 'timestamp' || this.o.mode === 'timestamp+incrementing') {
      const found = this.o.timestampColumns.map((name) => {
        const c = find(name);
        if (!c) throw new JdbcError(`Timestamp column ${name} not found in table ${this.o.label}`);
        return c;
      });
      if (validateNonNull && found.every((c) => c.nullable)) {
        throw new JdbcError(`Cannot make incremental queries using timestamp columns ${this.o.timestampColumns.join(',')} on ${this.o.label} because all of these columns are nullable.`);
      }
    }
  }

  /** Reads the next batch of at most `batch.max.rows` records. */
  async poll(client: JdbcClient): Promise<QuerierBatch> {
    return this.o.mode === 'bulk' ? this.pollBulk(client) : this.pollIncremental(client);
  }

  /** Abandons a pass in progress (after an error or at stop); the offset stays where records were returned. */
  async reset(): Promise<void> {
    const c = this.cursor;
    this.cursor = null;
    if (c) await c.close().catch(() => undefined);
  }

  private async pollBulk(client: JdbcClient): Promise<QuerierBatch> {
    this.cursor ??= await client.openCursor(buildBulkQuery(client.dialect, this.o.from, this.o.suffix), []);
    const rows = await this.cursor.read(this.o.batchMaxRows);
    const mapping = this.mappingFor(this.cursor.columns);
    const records = rows.map((row) => this.record(mapping, row, {}));
    const done = rows.length < this.o.batchMaxRows;
    if (done) await this.reset();
    return { records, done };
  }

  private async pollIncremental(client: JdbcClient): Promise<QuerierBatch> {
    const spec = this.spec(client.dialect);
    const zone = this.o.mapping.timeZone;
    const values = {
      incrementing: this.offset.incrementing ?? -1,
      timestamp: formatDbTimestamp(this.offset.timestamp ?? this.initialTimestamp(), zone),
    };
    const limit = this.o.batchMaxRows;
    const q = buildIncrementalQuery(spec, values, limit);
    const result = await client.query(q.sql, q.params);
    const mapping = this.mappingFor(result.columns);
    let rows = result.rows;
    const full = rows.length >= limit;
    if (full && this.o.mode === 'timestamp' && rows.length > 0) {
      const last = this.rowTimestamp(mapping, rows[rows.length - 1] as readonly unknown[]);
      const first = this.rowTimestamp(mapping, rows[0] as readonly unknown[]);
      if (last && first && compareTimestamps(first, last) === 0) {
        const tie = buildTimestampTieQuery(spec, formatDbTimestamp(last, zone));
        rows = (await client.query(tie.sql, tie.params)).rows;
      } else if (last) {
        rows = rows.filter((row) => {
          const t = this.rowTimestamp(mapping, row);
          return !t || compareTimestamps(t, last) < 0;
        });
      }
    }
    const records: SourceRecord[] = [];
    for (const row of rows) {
      this.offset = this.advance(mapping, row);
      records.push(this.record(mapping, row, offsetToMap(this.offset)));
    }
    return { records, done: !full };
  }

  private spec(dialect: SqlDialect): CriteriaSpec {
    const usesIncrementing = this.o.mode === 'incrementing' || this.o.mode === 'timestamp+incrementing';
    const usesTimestamp = this.o.mode === 'timestamp' || this.o.mode === 'timestamp+incrementing';
    return {
      dialect,
      from: this.o.from,
      incrementingColumn: usesIncrementing ? this.incrementingColumn : null,
      timestampColumns: usesTimestamp ? this.o.timestampColumns : [],
      delayMs: this.o.delayMs,
      suffix: this.o.suffix,
    };
  }

  private initialTimestamp(): PreciseTimestamp {
    const initial = this.o.timestampInitialMs;
    if (initial === null) return preciseFromMillis(0);
    return preciseFromMillis(initial === -1 ? Date.now() : initial);
  }

  private advance(mapping: RowMapping, row: readonly unknown[]): TimestampIncrementingOffset {
    let incrementing = this.offset.incrementing;
    let timestamp = this.offset.timestamp;
    if (mapping.incrementingIndex >= 0) {
      const raw = row[mapping.incrementingIndex];
      if (raw === null || raw === undefined) {
        throw new JdbcValueError(`Null value for incrementing column ${this.incrementingColumn ?? ''} of ${this.o.label}`);
      }
      try {
        incrementing = toInt64(raw);
      } catch (e) {
        throw new JdbcValueError(`Incrementing column ${this.incrementingColumn ?? ''} of ${this.o.label} holds "${String(raw)}", not an integer`, { cause: e });
      }
    }
    if (mapping.timestampIndexes.length > 0) timestamp = this.rowTimestamp(mapping, row) ?? timestamp;
    return { incrementing, timestamp };
  }

  private rowTimestamp(mapping: RowMapping, row: readonly unknown[]): PreciseTimestamp | null {
    for (const i of mapping.timestampIndexes) {
      const raw = row[i];
      if (raw === null || raw === undefined) continue;
      if (raw instanceof Date) return preciseFromMillis(raw.getTime());
      const text = String(raw);
      return parseDbTimestamp(/^\S+$/.test(text) && !text.includes('T') ? `${text} 00:00:00` : text, this.o.mapping.timeZone);
    }
    return null;
  }

  private record(mapping: RowMapping, row: readonly unknown[], sourceOffset: Record<string, unknown>): SourceRecord {
    const struct = new Struct(mapping.schema);
    const fields = mapping.fields;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i] as FieldMapping;
      struct.put(f.name, f.convert(row[i]));
    }
    return {
      sourcePartition: this.o.partition,
      sourceOffset,
      topic: this.o.topic,
      keySchema: null,
      key: null,
      valueSchema: mapping.schema,
      value: struct,
    };
  }

  private mappingFor(columns: readonly ColumnMeta[]): RowMapping {
    const signature = columns.map((c) => `${c.name}:${c.kind}:${String(c.nullable)}:${c.precision ?? ''}:${c.scale ?? ''}`).join('|');
    if (this.rowMapping?.signature === signature) return this.rowMapping;
    const fields = columns.map((c) => mapColumn(c, this.o.label, this.o.mapping));
    const builder = SchemaBuilder.struct();
    if (this.o.schemaName) builder.name(this.o.schemaName);
    for (const f of fields) {
      try {
        builder.field(f.name, f.schema);
      } catch {
        throw new JdbcError(`Column name ${f.name} appears twice in the result of ${this.o.label}; alias it in the query`);
      }
    }
    const index = (name: string) => {
      const exact = columns.findIndex((c) => c.name === name);
      return exact >= 0 ? exact : columns.findIndex((c) => c.name.toLowerCase() === name.toLowerCase());
    };
    const spec = this.spec(this.o.dialect);
    const incrementingIndex = spec.incrementingColumn ? index(spec.incrementingColumn) : -1;
    if (spec.incrementingColumn && incrementingIndex < 0) {
      throw new JdbcError(`Incrementing column ${spec.incrementingColumn} not found in the columns of ${this.o.label}: ${columns.map((c) => c.name).join(',')}`);
    }
    const timestampIndexes = spec.timestampColumns.map((name) => {
      const i = index(name);
      if (i < 0) throw new JdbcError(`Timestamp column ${name} not found in the columns of ${this.o.label}: ${columns.map((c) => c.name).join(',')}`);
      return i;
    });
    this.rowMapping = { signature, schema: builder.build(), fields, incrementingIndex, timestampIndexes };
    return this.rowMapping;
  }
}
