/**
 * Turns pgoutput messages into Debezium change records: tracks the transaction (xid, commit LSN,
 * commit time), keeps each relation's schema (rebuilt from the catalog when its columns change),
 * skips what the committed offset already covers, and splits a primary key change into a delete,
 * its tombstone and a create, as Debezium does.
 */
import type pg from 'pg';
import type { SourceOffset, SourcePartition, SourceRecord } from '../../plugins/connect-record.ts';
import { changeRecords, type Op } from '../debezium-common/debezium-envelope.ts';
import { NameFilter } from '../debezium-common/table-filter.ts';
import { tableInfo } from './pg-catalog.ts';
import type { PgSettings } from './pg-config.ts';
import type { PgMessage } from './pg-replication-stream.ts';
import { buildPgTable, convertRow, pgSource, type PgTable } from './pg-tables.ts';

type Row = Record<string, string | null | undefined>;

/** Where the stream stands, as Debezium's PostgreSQL offset. */
export interface PgStreamPosition {
  readonly lsnCommit: number;
  readonly lsn: number;
}

export class PgChangeDecoder {
  private readonly tables = new Map<number, PgTable | null>();
  private xid = 0;
  private commitLsn = 0;
  private commitTimeUs = 0;
  private beginLsn: number | null = null;
  private inTransaction = false;
  private readonly schemaFilter: NameFilter;
  private readonly tableFilter: NameFilter;

  constructor(
    private readonly s: PgSettings,
    private readonly catalog: pg.Client,
    private readonly partition: SourcePartition,
    /** Events at or before this position were committed already (resume after a restart). */
    private resumeAfter: PgStreamPosition | null,
  ) {
    this.schemaFilter = new NameFilter(s.schemaInclude, s.schemaExclude);
    this.tableFilter = new NameFilter(s.tableInclude, s.tableExclude);
  }

  /** Whether a transaction is open (its events may not all have been seen). */
  get busy(): boolean {
    return this.inTransaction;
  }

  get lastTxId(): number {
    return this.xid;
  }

  /** The records for one message (often none). */
  async decode(lsn: number, m: PgMessage): Promise<SourceRecord[]> {
    switch (m.tag) {
      case 'begin':
        this.inTransaction = true;
        this.beginLsn = lsn;
        this.xid = m.xid;
        this.commitLsn = m.commitLsn ? lsnOf(m.commitLsn) : lsn;
        this.commitTimeUs = Number(m.commitTime as bigint);
        return [];
      case 'commit':
        this.inTransaction = false;
        return [];
      case 'relation':
        await this.onRelation(m);
        return [];
      case 'insert':
        return this.change(lsn, m.relation.relationOid, 'c', null, m.new as Row, true);
      case 'update':
        return this.change(lsn, m.relation.relationOid, 'u', (m.old ?? m.key) as Row | null, m.new as Row, m.old !== null);
      case 'delete':
        return this.change(lsn, m.relation.relationOid, 'd', (m.old ?? m.key) as Row, null, m.old !== null);
      default:
        // truncate (Debezium skips it by default), type, origin, message.
        return [];
    }
  }

  /** The offset of a position with no transaction open, e.g. from a keepalive. */
  idleOffset(walEnd: number): SourceOffset {
    return { lsn_proc: walEnd, lsn_commit: walEnd, lsn: walEnd, txId: this.xid || null, ts_usec: Date.now() * 1000 };
  }

  private async onRelation(m: Extract<PgMessage, { tag: 'relation' }>): Promise<void> {
    if (!this.schemaFilter.matches(m.schema) || !this.tableFilter.matches(`${m.schema}.${m.name}`)) {
      this.tables.set(m.relationOid, null);
      return;
    }
    const info = await tableInfo(this.catalog, { schema: m.schema, table: m.name, oid: m.relationOid });
    // The stream's column list is authoritative for the tuples that follow; the catalog may be ahead.
    const byName = new Map(info.columns.map((c) => [c.name, c]));
    const columns = m.columns.map((c) => byName.get(c.name) ?? { name: c.name, typeName: c.typeName ?? 'text', typeMod: c.typeMod, typeType: 'b', elementTypeName: null, enumLabels: null, notNull: false });
    this.tables.set(m.relationOid, buildPgTable({ ...info, columns }, this.s));
  }

  private change(lsn: number, relationOid: number, op: Op, before: Row | null, after: Row | null, fullBefore: boolean): SourceRecord[] {
    const t = this.tables.get(relationOid);
    if (!t) return [];
    if (this.alreadyCommitted(lsn)) return [];
    const source = pgSource(this.s, t, {
      tsUs: this.commitTimeUs,
      snapshot: 'false',
      txId: this.xid,
      lsn,
      sequence: JSON.stringify([this.beginLsn === null ? null : String(this.beginLsn), String(lsn)]),
    });
    const messageType = op === 'c' ? 'INSERT' : op === 'u' ? 'UPDATE' : 'DELETE';
    const offset: SourceOffset = { lsn_proc: lsn, messageType, lsn_commit: this.commitLsn, lsn, txId: this.xid, ts_usec: this.commitTimeUs };
    const conv = (r: Row | null, keyOnly = false) => (r ? convertRow(t, r, keyOnly) : null);
    const ev = { table: t.schema, source, partition: this.partition, offset };
    if (op === 'u' && before && after && keyChanged(t, before, after)) {
      return [
        ...changeRecords({ ...ev, op: 'd', before: conv(before, !fullBefore), after: null }, this.s.tombstonesOnDelete),
        ...changeRecords({ ...ev, op: 'c', before: null, after: conv(after) }, false),
      ];
    }
    return changeRecords({ ...ev, op, before: op === 'u' && !fullBefore ? null : conv(before, !fullBefore), after: conv(after) }, this.s.tombstonesOnDelete);
  }

  private alreadyCommitted(lsn: number): boolean {
    const r = this.resumeAfter;
    if (!r) return false;
    if (this.commitLsn < r.lsnCommit || (this.commitLsn === r.lsnCommit && lsn <= r.lsn)) return true;
    // Past the resume point: no later event can be covered by it.
    this.resumeAfter = null;
    return false;
  }
}

function lsnOf(text: string): number {
  const [hi, lo] = text.split('/');
  return parseInt(hi ?? '0', 16) * 2 ** 32 + parseInt(lo ?? '0', 16);
}

function keyChanged(t: PgTable, before: Row, after: Row): boolean {
  return t.schema.keyColumns.some((k) => before[k] !== undefined && before[k] !== after[k]);
}
