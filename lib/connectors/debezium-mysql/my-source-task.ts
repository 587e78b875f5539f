/**
 * The MySQL/MariaDB change data capture task: a consistent snapshot (global read lock held only
 * while a consistent-snapshot transaction starts and the binlog position is read), then the ROW
 * binlog from that position through @vlasky/zongji. Offsets are Debezium's `{file, pos, event,
 * row}`: on restart the reader starts at the transaction's position and skips the rows that the
 * committed offset covers.
 */
import type ZongJi from '@vlasky/zongji';
import type { AnyBinlogEvent } from '@vlasky/zongji';
import type mysql from 'mysql2/promise';
import type { SourceOffset, SourceRecord } from '../../plugins/connect-record.ts';
import type { Struct } from '../../plugins/connect-schema.ts';
import type { Props, SourceTask, SourceTaskContext } from '../../plugins/plugin-types.ts';
import { CdcError, CdcSetupError } from '../debezium-common/cdc-errors.ts';
import { changeRecords, heartbeatRecord, type Op } from '../debezium-common/debezium-envelope.ts';
import { NameFilter } from '../debezium-common/table-filter.ts';
import { lazyDriver } from '../lazy-driver.ts';
import { capturedTables, connect, connectionOptions, myError, tableColumns, tableOptions, type MyTableRef } from './my-catalog.ts';
import { parseMySettings, type MySettings } from './my-config.ts';
import { ddlTarget, schemaChangeRecord } from './my-schema-changes.ts';
import { buildMyTable, convertMyRow, mySource, type MyTable } from './my-tables.ts';
import { MY_CONNECTOR_VERSION } from './my-version.ts';

interface Position {
  file: string;
  pos: number;
}

/** The common header of a binlog event, which the reader leaves out of `size` (with the CRC32 trailer, when the server writes one). */
const BINLOG_EVENT_HEADER = 19;
const BINLOG_CHECKSUM = 4;

/** The binlog reader, loaded when the task starts streaming (see lazy-driver.ts). */
const zongjiDriver = lazyDriver(() => import('@vlasky/zongji'));

type RowsEvent = Extract<AnyBinlogEvent, { getEventName(): 'writerows' | 'updaterows' | 'deleterows' }>;

export class MySourceTask implements SourceTask {
  private s!: MySettings;
  private partition!: { server: string };
  private catalog: mysql.Connection | null = null;
  private snapshotConn: mysql.Connection | null = null;
  private snapshotTables: MyTableRef[] = [];
  private snapshotIndex = 0;
  private snapshotOffset = 0;
  private snapshotStart: Position | null = null;
  private snapshotTs = 0;
  private snapshotPending: SourceRecord[] = [];
  private reader: ZongJi | null = null;
  private readonly events: { evt: AnyBinlogEvent; file: string; pos: number }[] = [];
  private readonly tables = new Map<string, MyTable | null>();
  private queue: SourceRecord[] = [];
  private failure: Error | null = null;
  private txnKey = '';
  /** The GTID of the transaction being read (MariaDB announces it in its own event before the transaction). */
  private gtid: string | null = null;
  /** The server that wrote the transaction being read (MariaDB's GTID event carries it). */
  private gtidServerId = 0;
  /** The row index of the last row read: Debezium's `source.row` of a DDL statement still holds it. */
  private lastRow = 0;
  private rowEvent = 0;
  private resume: { file: string; pos: number; event: number; row: number } | null = null;
  private lastOffset: SourceOffset | null = null;
  private lastHeartbeat = Date.now();
  private pumping = false;
  private paused = false;
  private idle = true;

  constructor(private readonly flavor: 'mysql' | 'mariadb') {}

  version(): string {
    return MY_CONNECTOR_VERSION;
  }

  async start(props: Props, context: SourceTaskContext): Promise<void> {
    this.s = parseMySettings(props, this.flavor);
    this.partition = { server: this.s.topicPrefix };
    const offset = await context.offsetStorageReader().offset(this.partition);
    this.catalog = await connect(this.s);
    const mode = this.s.snapshotMode;
    const unfinished = offset !== null && offset['snapshot'] === true;
    const wantsSnapshot = (offset === null && (mode === 'initial' || mode === 'initial_only' || mode === 'when_needed')) || (unfinished && mode !== 'never' && mode !== 'no_data' && mode !== 'schema_only');
    if (wantsSnapshot) {
      await this.beginSnapshot();
      return;
    }
    let start: Position;
    if (offset && typeof offset['file'] === 'string') {
      start = { file: offset['file'], pos: Number(offset['pos'] ?? 4) };
      this.resume = { file: start.file, pos: start.pos, event: Number(offset['event'] ?? 0), row: Number(offset['row'] ?? 0) };
      this.lastOffset = offset;
    } else {
      start = await this.masterPosition(this.catalog);
    }
    if (mode !== 'initial_only') await this.startReader(start);
  }

  async poll(): Promise<SourceRecord[] | null> {
    if (this.snapshotConn) return this.pollSnapshot();
    if (this.failure) {
      const e = this.failure;
      this.failure = null;
      throw e;
    }
    if (this.queue.length === 0 && this.idle) await new Promise((r) => setTimeout(r, Math.min(this.s.pollIntervalMs, 100)));
    const batch = this.queue.splice(0, this.s.maxBatchSize);
    this.idle = batch.length === 0;
    if (this.paused && this.queue.length < this.s.maxBatchSize) {
      this.paused = false;
      (this.reader?.connection as unknown as { resume?: () => void } | null)?.resume?.();
    }
    if (batch.length === 0) return this.heartbeat();
    this.lastOffset = batch[batch.length - 1]?.sourceOffset ?? this.lastOffset;
    return batch;
  }

  async stop(): Promise<void> {
    this.reader?.stop();
    this.reader = null;
    await this.snapshotConn?.end().catch(() => undefined);
    await this.catalog?.end().catch(() => undefined);
    this.snapshotConn = null;
    this.catalog = null;
  }

  private async masterPosition(c: mysql.Connection): Promise<Position> {
    const [rows] = await c.query<mysql.RowDataPacket[]>('SHOW MASTER STATUS');
    const r = rows[0];
    if (!r) throw new CdcSetupError('SHOW MASTER STATUS returned nothing: the server has no binlog. Set log_bin and binlog_format=ROW and restart it.');
    return { file: String(r.File), pos: Number(r.Position) };
  }

  private async beginSnapshot(): Promise<void> {
    const s = this.s;
    const lock = await connect(s);
    const snap = await connect(s);
    try {
      this.snapshotTables = await capturedTables(this.catalog!, s);
      await lock.query('FLUSH TABLES WITH READ LOCK');
      await snap.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      await snap.query('START TRANSACTION WITH CONSISTENT SNAPSHOT');
      this.snapshotStart = await this.masterPosition(lock);
      await lock.query('UNLOCK TABLES');
      this.snapshotTs = Date.now();
      if (s.includeSchemaChanges) this.snapshotPending.push(...(await this.snapshotSchemaChanges(snap)));
    } catch (e) {
      await snap.end().catch(() => undefined);
      throw myError(e, s, 'starting the snapshot (it needs the RELOAD privilege for FLUSH TABLES WITH READ LOCK)');
    } finally {
      await lock.end().catch(() => undefined);
    }
    this.snapshotConn = snap;
  }

  /** Debezium's snapshot tells the schema change topic each captured table's CREATE TABLE. */
  private async snapshotSchemaChanges(snap: mysql.Connection): Promise<SourceRecord[]> {
    const start = this.snapshotStart!;
    const out: SourceRecord[] = [];
    for (const ref of this.snapshotTables) {
      const [rows] = await snap.query<mysql.RowDataPacket[]>(`SHOW CREATE TABLE \`${ref.db.replace(/`/g, '``')}\`.\`${ref.table.replace(/`/g, '``')}\``);
      const ddl = String(rows[0]?.['Create Table'] ?? '');
      const source = mySource(this.s, { db: ref.db, table: ref.table }, { tsMs: this.snapshotTs, snapshot: 'true', file: start.file, pos: start.pos, row: 0, serverId: 0, gtid: null });
      const offset = { ts_sec: Math.floor(this.snapshotTs / 1000), file: start.file, pos: start.pos, snapshot: true };
      out.push(await this.schemaChange(ddl, ref.db, { type: 'CREATE', ...ref }, source, offset));
    }
    return out;
  }

  private async schemaChange(ddl: string, databaseName: string, change: { type: 'CREATE' | 'ALTER' | 'DROP'; db: string; table: string } | null, source: Struct, offset: SourceOffset): Promise<SourceRecord> {
    let structure = null;
    if (change && change.type !== 'DROP') {
      const ref = { db: change.db, table: change.table };
      const [{ columns, keyColumns }, options] = await Promise.all([tableColumns(this.catalog!, ref), tableOptions(this.catalog!, ref)]);
      structure = { ...ref, columns, keyColumns, ...options };
    }
    return schemaChangeRecord({ flavor: this.s.flavor, topicPrefix: this.s.topicPrefix, databaseName, ddl, change: change && { ...change, structure }, source, partition: this.partition, offset });
  }

  private async pollSnapshot(): Promise<SourceRecord[] | null> {
    const conn = this.snapshotConn!;
    const start = this.snapshotStart!;
    try {
      while (this.snapshotPending.length < this.s.maxBatchSize + 1 && this.snapshotIndex < this.snapshotTables.length) {
        const ref = this.snapshotTables[this.snapshotIndex] as MyTableRef;
        const table = await this.table(ref);
        if (!table) {
          this.snapshotIndex++;
          continue;
        }
        const limit = 10_240;
        const [rows] = await conn.query<mysql.RowDataPacket[]>(`SELECT * FROM \`${ref.db.replace(/`/g, '``')}\`.\`${ref.table.replace(/`/g, '``')}\` LIMIT ${limit} OFFSET ${this.snapshotOffset}`);
        this.snapshotOffset += rows.length;
        if (rows.length < limit) {
          this.snapshotIndex++;
          this.snapshotOffset = 0;
        }
        for (const row of rows) {
          const source = mySource(this.s, { db: ref.db, table: ref.table }, { tsMs: this.snapshotTs, snapshot: 'true', file: start.file, pos: start.pos, row: 0, serverId: 0, gtid: null });
          const offset = { ts_sec: Math.floor(this.snapshotTs / 1000), file: start.file, pos: start.pos, snapshot: true };
          this.snapshotPending.push(...changeRecords({ table: table.schema, op: 'r', before: null, after: convertMyRow(table, row), source, partition: this.partition, offset }, false));
        }
      }
    } catch (e) {
      throw myError(e, this.s, 'reading the snapshot');
    }
    const done = this.snapshotIndex >= this.snapshotTables.length;
    const batch = this.snapshotPending.splice(0, done ? this.snapshotPending.length : this.s.maxBatchSize);
    if (done) {
      // The last snapshot record's offset has no `snapshot` flag: a restart after it streams.
      const last = batch.pop();
      if (last) {
        const value = last.value as Struct;
        (value.get('source') as Struct).put('snapshot', 'last');
        batch.push({ ...last, sourceOffset: { ts_sec: Math.floor(this.snapshotTs / 1000), file: start.file, pos: start.pos } });
      }
      await conn.query('COMMIT').catch(() => undefined);
      await conn.end().catch(() => undefined);
      this.snapshotConn = null;
      if (this.s.snapshotMode !== 'initial_only') await this.startReader(start);
    }
    return batch.length ? batch : null;
  }

  private async table(ref: MyTableRef): Promise<MyTable | null> {
    const key = `${ref.db}.${ref.table}`;
    if (this.tables.has(key)) return this.tables.get(key) ?? null;
    const dbs = new NameFilter(this.s.databaseInclude, this.s.databaseExclude);
    const tables = new NameFilter(this.s.tableInclude, this.s.tableExclude);
    let t: MyTable | null = null;
    if (dbs.matches(ref.db) && tables.matches(key)) {
      const { columns, keyColumns } = await tableColumns(this.catalog!, ref);
      t = columns.length ? buildMyTable(ref, columns, keyColumns, this.s) : null;
    }
    this.tables.set(key, t);
    return t;
  }

  private async startReader(start: Position): Promise<void> {
    const { default: ZongJi } = await zongjiDriver.load();
    const reader = new ZongJi(connectionOptions(this.s));
    this.reader = reader;
    await new Promise<void>((resolve, reject) => {
      reader.once('ready', () => resolve());
      reader.on('error', (e: Error) => {
        const err = myError(e, this.s, 'reading the binlog');
        this.failure = err;
        reject(err);
      });
      reader.on('binlog', (evt: AnyBinlogEvent) => {
        // The reader's position is the start of the transaction being delivered: read it now, not when handled.
        this.events.push({ evt, file: String(reader.options.filename ?? ''), pos: Number(reader.options.position ?? 0) });
        void this.pump();
      });
      reader.start({ serverId: this.s.serverId, filename: start.file, position: start.pos, includeEvents: ['tablemap', 'writerows', 'updaterows', 'deleterows', 'query', 'xid', 'gtid', 'mariadbgtid'] });
    });
  }

  /** Handles binlog events in order, one at a time (schema lookups are asynchronous). */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let next = this.events.shift(); next; next = this.events.shift()) await this.onEvent(next.evt, next.file, next.pos);
    } catch (e) {
      this.failure = e instanceof CdcError ? e : myError(e, this.s, 'decoding the binlog');
    } finally {
      this.pumping = false;
    }
  }

  private async onEvent(evt: AnyBinlogEvent, file: string, pos: number): Promise<void> {
    const name = evt.getEventName();
    if (name === 'gtid' || name === 'mariadbgtid') {
      this.gtid = evt.gtid ?? null;
      this.gtidServerId = (evt as { serverId?: number }).serverId ?? 0;
      return;
    }
    if (name === 'query') {
      const q = evt as Extract<AnyBinlogEvent, { getEventName(): 'query' }>;
      if (/^\s*(BEGIN|COMMIT|XA |SAVEPOINT|ROLLBACK)/i.test(q.query)) return;
      // A DDL statement may change a table's columns: look them up again on next use.
      this.tables.clear();
      if (this.s.includeSchemaChanges) await this.streamedSchemaChange(q, file, pos);
      return;
    }
    if (name !== 'writerows' && name !== 'updaterows' && name !== 'deleterows') return;
    const e = evt as RowsEvent;
    const map = e.tableMap[e.tableId];
    if (!map) return;
    const key = `${file}:${pos}`;
    if (key !== this.txnKey) {
      this.txnKey = key;
      this.rowEvent = 0;
    }
    const eventIndex = this.rowEvent++;
    const table = await this.table({ db: map.parentSchema, table: map.tableName });
    if (!table) return;
    const op: Op = name === 'writerows' ? 'c' : name === 'updaterows' ? 'u' : 'd';
    const rows = e.rows as unknown[];
    for (let r = 0; r < rows.length; r++) {
      this.lastRow = r;
      if (this.covered(file, pos, eventIndex, r)) continue;
      const raw = rows[r] as Record<string, unknown> & { before?: Record<string, unknown>; after?: Record<string, unknown> };
      const before = op === 'u' ? convertMyRow(table, raw.before ?? {}) : op === 'd' ? convertMyRow(table, raw) : null;
      const after = op === 'u' ? convertMyRow(table, raw.after ?? {}) : op === 'c' ? convertMyRow(table, raw) : null;
      const source = mySource(this.s, { db: table.schema.namespace, table: table.schema.table }, { tsMs: e.timestamp, snapshot: 'false', file, pos: this.eventStart(e), row: r, serverId: this.gtidServerId, gtid: e.gtid ?? this.gtid });
      const offset: SourceOffset = { ts_sec: Math.floor(e.timestamp / 1000), file, pos, event: eventIndex, row: r + 1, server_id: this.s.serverId };
      const keyChanged = op === 'u' && table.schema.keyColumns.some((k) => String(before?.[k]) !== String(after?.[k]));
      const ev = { table: table.schema, source, partition: this.partition, offset };
      if (keyChanged) {
        this.queue.push(...changeRecords({ ...ev, op: 'd', before, after: null }, this.s.tombstonesOnDelete), ...changeRecords({ ...ev, op: 'c', before: null, after }, false));
      } else {
        this.queue.push(...changeRecords({ ...ev, op, before, after }, this.s.tombstonesOnDelete));
      }
    }
    if (!this.paused && this.queue.length >= this.s.maxBatchSize * 4) {
      this.paused = true;
      (this.reader?.connection as unknown as { pause?: () => void } | null)?.pause?.();
    }
  }

  /** Where an event starts in its binlog file: Debezium's `source.pos` (the offset keeps the transaction's start). */
  private eventStart(e: { nextPosition: number; size: number }): number {
    const checksum = (this.reader as { useChecksum?: boolean } | null)?.useChecksum ? BINLOG_CHECKSUM : 0;
    return e.nextPosition - e.size - BINLOG_EVENT_HEADER - checksum;
  }

  /** A DDL statement of a captured database (and table, when it names one) on the schema change topic. */
  private async streamedSchemaChange(q: Extract<AnyBinlogEvent, { getEventName(): 'query' }>, file: string, pos: number): Promise<void> {
    const target = ddlTarget(q.query, q.schema);
    const databaseName = target?.db ?? q.schema;
    if (!databaseName || !new NameFilter(this.s.databaseInclude, this.s.databaseExclude).matches(databaseName)) return;
    if (target && !new NameFilter(this.s.tableInclude, this.s.tableExclude).matches(`${target.db}.${target.table}`)) return;
    if (this.covered(file, pos, 0, 0)) return;
    const source = mySource(this.s, { db: databaseName, table: target?.table ?? null }, { tsMs: q.timestamp, snapshot: 'false', file, pos: this.eventStart(q), row: this.lastRow, serverId: this.gtidServerId, gtid: q.gtid ?? this.gtid });
    const offset: SourceOffset = { ts_sec: Math.floor(q.timestamp / 1000), file, pos: q.nextPosition, server_id: this.s.serverId };
    this.queue.push(await this.schemaChange(q.query, databaseName, target, source, offset));
  }

  /** Whether the committed offset already covers row `r` of row event `event` of the transaction at file/pos. */
  private covered(file: string, pos: number, event: number, r: number): boolean {
    const c = this.resume;
    if (!c) return false;
    if (c.file !== file || c.pos !== pos) {
      this.resume = null;
      return false;
    }
    return event < c.event || (event === c.event && r < c.row);
  }

  private heartbeat(): SourceRecord[] | null {
    const every = this.s.heartbeatIntervalMs;
    if (every <= 0 || Date.now() - this.lastHeartbeat < every || !this.lastOffset) return null;
    this.lastHeartbeat = Date.now();
    return [heartbeatRecord({ topicPrefix: this.s.topicPrefix, heartbeatPrefix: this.s.heartbeatTopicsPrefix, partition: this.partition, offset: this.lastOffset })];
  }
}
