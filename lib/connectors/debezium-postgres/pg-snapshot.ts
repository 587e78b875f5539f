/**
 * The consistent snapshot: the replication slot is created with an exported snapshot, and every
 * captured table is read inside a transaction that imports it. Streaming then starts at the
 * slot's consistent point, so each change is either in the snapshot or in the stream, never both
 * and never neither.
 */
import type pg from 'pg';
import type { SourcePartition, SourceRecord } from '../../plugins/connect-record.ts';
import { changeRecords } from '../debezium-common/debezium-envelope.ts';
import { connect, pgError, qualified, quoteIdent, tableInfo, type TableRef } from './pg-catalog.ts';
import type { PgSettings } from './pg-config.ts';
import { lsnToNumber } from './lsn.ts';
import { buildPgTable, convertRow, pgSource, type PgTable } from './pg-tables.ts';

export interface SlotPosition {
  readonly consistentPoint: number;
}

/** Creates the slot (dropping a stale one first) and returns the exported snapshot, held open on `replication`. */
export async function createSlotWithSnapshot(catalog: pg.Client, s: PgSettings): Promise<{ replication: pg.Client; snapshotName: string; consistentPoint: number }> {
  await dropSlot(catalog, s);
  const replication = await connect(s, true);
  try {
    const res = await replication.query<{ consistent_point: string; snapshot_name: string }>(`CREATE_REPLICATION_SLOT ${quoteIdent(s.slotName)} LOGICAL pgoutput EXPORT_SNAPSHOT`);
    const row = res.rows[0];
    if (!row) throw new Error('CREATE_REPLICATION_SLOT returned nothing');
    return { replication, snapshotName: row.snapshot_name, consistentPoint: lsnToNumber(row.consistent_point) };
  } catch (e) {
    await replication.end().catch(() => undefined);
    throw pgError(e, s, `creating replication slot ${s.slotName}`);
  }
}

/** Creates the slot without a snapshot when it does not exist yet (snapshot.mode no_data). */
export async function ensureSlot(catalog: pg.Client, s: PgSettings): Promise<void> {
  if (await slotExists(catalog, s)) return;
  const replication = await connect(s, true);
  try {
    await replication.query(`CREATE_REPLICATION_SLOT ${quoteIdent(s.slotName)} LOGICAL pgoutput NOEXPORT_SNAPSHOT`);
  } catch (e) {
    throw pgError(e, s, `creating replication slot ${s.slotName}`);
  } finally {
    await replication.end().catch(() => undefined);
  }
}

export async function slotExists(catalog: pg.Client, s: PgSettings): Promise<boolean> {
  const res = await catalog.query(`SELECT 1 FROM pg_replication_slots WHERE slot_name = $1 AND database = current_database()`, [s.slotName]);
  return (res.rowCount ?? 0) > 0;
}

export async function dropSlot(catalog: pg.Client, s: PgSettings): Promise<void> {
  try {
    await catalog.query(`SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1`, [s.slotName]);
  } catch (e) {
    throw pgError(e, s, `dropping the stale replication slot ${s.slotName}`);
  }
}

/** Reads the tables of an exported snapshot in batches, marking records as Debezium does. */
export class PgSnapshotReader {
  private tableIndex = 0;
  private table: PgTable | null = null;
  private cursorOpen = false;
  /** One row of look-ahead, so the last row of each table can be marked. */
  private pending: Record<string, string | null>[] = [];
  private tableDone = false;
  private emitted = 0;
  private readonly tsUs = Math.round((performance.timeOrigin + performance.now()) * 1000);
  private txId = 0;

  private constructor(
    private readonly client: pg.Client,
    private readonly s: PgSettings,
    private tables: readonly TableRef[],
    private readonly consistentPoint: number,
    private readonly partition: SourcePartition,
  ) {}

  /** Opens the snapshot transaction on a new connection; `replication` may be closed afterwards. */
  static async open(s: PgSettings, snapshotName: string, tables: readonly TableRef[], consistentPoint: number, partition: SourcePartition): Promise<PgSnapshotReader> {
    const client = await connect(s);
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await client.query(`SET TRANSACTION SNAPSHOT '${snapshotName.replace(/'/g, "''")}'`);
      const reader = new PgSnapshotReader(client, s, tables, consistentPoint, partition);
      reader.txId = Number((await client.query<{ x: string }>('SELECT txid_current()::text AS x')).rows[0]?.x ?? 0);
      // Empty tables give no records; leaving them out lets the last row read be marked last.
      const nonEmpty: TableRef[] = [];
      for (const t of tables) if (((await client.query(`SELECT 1 FROM ${qualified(t)} LIMIT 1`)).rowCount ?? 0) > 0) nonEmpty.push(t);
      reader.tables = nonEmpty;
      return reader;
    } catch (e) {
      await client.end().catch(() => undefined);
      throw pgError(e, s, 'starting the snapshot transaction');
    }
  }

  /** The next records, or null when the snapshot is complete. */
  async next(max: number): Promise<SourceRecord[] | null> {
    const out: SourceRecord[] = [];
    try {
      while (out.length < max) {
        if (!this.table) {
          const ref = this.tables[this.tableIndex];
          if (!ref) break;
          this.table = buildPgTable(await tableInfo(this.client, ref), this.s);
          const cols = [...this.table.mappings.keys()].map(quoteIdent).join(', ');
          await this.client.query(`DECLARE snap CURSOR FOR SELECT ${cols || '*'} FROM ${qualified(ref)}`);
          this.cursorOpen = true;
          this.tableDone = false;
          this.rowInTable = 0;
        }
        if (this.pending.length < 2 && !this.tableDone) {
          const res = await this.client.query<Record<string, string | null>>(`FETCH ${this.s.snapshotFetchSize} FROM snap`);
          this.pending.push(...res.rows);
          if (res.rows.length < this.s.snapshotFetchSize) this.tableDone = true;
        }
        const row = this.pending.shift();
        if (!row) {
          await this.closeCursor();
          this.table = null;
          this.tableIndex++;
          continue;
        }
        const lastOfTable = this.tableDone && this.pending.length === 0;
        out.push(...this.record(this.table, row, lastOfTable, lastOfTable && this.tableIndex === this.tables.length - 1));
      }
    } catch (e) {
      throw pgError(e, this.s, 'reading the snapshot');
    }
    if (out.length === 0) {
      await this.close();
      return null;
    }
    return out;
  }

  private record(t: PgTable, row: Record<string, string | null>, lastOfTable: boolean, last: boolean): SourceRecord[] {
    const marker = last ? 'last' : this.emitted === 0 ? 'first' : this.rowInTable === 0 ? 'first_in_data_collection' : lastOfTable ? 'last_in_data_collection' : 'true';
    this.emitted++;
    this.rowInTable++;
    const offset = { last_snapshot_record: last, lsn: this.consistentPoint, txId: this.txId, ts_usec: this.tsUs, snapshot: 'INITIAL', snapshot_completed: last };
    const source = pgSource(this.s, t, { tsUs: this.tsUs, snapshot: marker, txId: this.txId, lsn: this.consistentPoint, sequence: null });
    return changeRecords({ table: t.schema, op: 'r', before: null, after: convertRow(t, row), source, partition: this.partition, offset }, false);
  }

  private rowInTable = 0;

  private async closeCursor(): Promise<void> {
    if (this.cursorOpen) await this.client.query('CLOSE snap');
    this.cursorOpen = false;
  }

  async close(): Promise<void> {
    await this.client.query('COMMIT').catch(() => undefined);
    await this.client.end().catch(() => undefined);
  }
}
