/**
 * The JDBC source task (io.confluent.connect.jdbc.source.JdbcSourceTask): polls its tables, or
 * the configured query, in turn, resuming each from its committed offset. `poll()` never waits
 * more than ~100 ms: it returns null while no table is due.
 */
import type { SourceRecord } from '../../plugins/connect-record.ts';
import type { OffsetStorageReader, Props, SourceTask, SourceTaskContext } from '../../plugins/plugin-types.ts';
import { describeTarget, statementError } from './driver-errors.ts';
import { JdbcError } from './errors.ts';
import { dialectFor, openJdbcClient, type JdbcClient } from './jdbc-client.ts';
import { jdbcLogger } from './jdbc-logger.ts';
import { parseSourceSettings, TABLES_CONFIG, type JdbcSourceSettings } from './jdbc-source-config.ts';
import { JDBC_CONNECTOR_VERSION } from './jdbc-version.ts';
import { EMPTY_OFFSET, legacyTablePartition, offsetFromMap, QUERY_PARTITION, tablePartition, type TimestampIncrementingOffset } from './source-offsets.ts';
import { splitTableList, type SqlDialect, type TableId } from './sql-dialect.ts';
import { TableQuerier } from './table-querier.ts';

const MAX_SLEEP_MS = 100;

export class JdbcSourceTask implements SourceTask {
  private settings: JdbcSourceSettings | null = null;
  private client: JdbcClient | null = null;
  private queriers: TableQuerier[] = [];
  private stopped = false;
  private failures = 0;
  private connectFailures = 0;
  private nextConnectAt = 0;

  constructor(private readonly sleep: (ms: number) => Promise<void> = defaultSleep) {}

  version(): string {
    return JDBC_CONNECTOR_VERSION;
  }

  async start(props: Props, context: SourceTaskContext): Promise<void> {
    const settings = parseSourceSettings(props);
    this.settings = settings;
    this.stopped = false;
    const dialect = dialectFor(settings.client);
    const tables = splitTableList(props[TABLES_CONFIG] ?? '', dialect.quoteChar).map((t) => dialect.parseTableId(t));
    if (settings.query === '' && tables.length === 0) {
      jdbcLogger.info('JDBC source task has no tables assigned; it stays idle');
      return;
    }
    const reader = context.offsetStorageReader();
    this.queriers = settings.query !== '' ? [await this.queryQuerier(settings, dialect, reader)] : await Promise.all(tables.map((t) => this.tableQuerier(settings, dialect, t, reader)));
    this.client = await openJdbcClient(settings.client);
    for (const q of this.queriers) {
      try {
        await q.prepare(this.client, settings.validateNonNull);
      } catch (e) {
        await this.closeClient();
        throw statementError(e, q.label);
      }
    }
    jdbcLogger.info('JDBC source task started', { target: describeTarget(settings.client), mode: settings.mode, tables: this.queriers.map((q) => q.label) });
  }

  async poll(): Promise<SourceRecord[] | null> {
    const settings = this.settings;
    if (this.stopped || !settings) return null;
    const querier = this.nextQuerier();
    if (!querier) {
      await this.sleep(MAX_SLEEP_MS);
      return null;
    }
    if (!querier.querying) {
      const wait = querier.lastUpdate + settings.pollIntervalMs - Date.now();
      if (wait > 0) {
        await this.sleep(Math.min(wait, MAX_SLEEP_MS));
        return null;
      }
    }
    const client = await this.connected(settings);
    if (!client) return null;
    try {
      const batch = await querier.poll(client);
      if (batch.done) querier.lastUpdate = Date.now();
      this.failures = 0;
      return batch.records.length > 0 ? batch.records : null;
    } catch (e) {
      await querier.reset();
      querier.lastUpdate = Date.now();
      if (this.stopped) return null;
      const err = statementError(e, querier.label);
      const limit = settings.queryRetryAttempts;
      if (!(err instanceof JdbcError && err.retriable) || (limit >= 0 && this.failures >= limit)) throw err;
      this.failures++;
      jdbcLogger.warn('JDBC source query failed; retrying on a later poll', { table: querier.label, error: err.message });
      await this.closeClient();
      return null;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const q of this.queriers) await q.reset();
    await this.closeClient();
  }

  /** The offsets the queriers have reached, keyed by table label (for tests and diagnostics). */
  offsets(): Map<string, TimestampIncrementingOffset> {
    return new Map(this.queriers.map((q) => [q.label, q.currentOffset]));
  }

  private nextQuerier(): TableQuerier | undefined {
    // A querier in the middle of a pass continues; otherwise the one polled longest ago goes next.
    const busy = this.queriers.find((q) => q.querying);
    if (busy) return busy;
    let best: TableQuerier | undefined;
    for (const q of this.queriers) if (!best || q.lastUpdate < best.lastUpdate) best = q;
    return best;
  }

  private async connected(settings: JdbcSourceSettings): Promise<JdbcClient | null> {
    if (this.client) return this.client;
    if (Date.now() < this.nextConnectAt) {
      await this.sleep(Math.min(this.nextConnectAt - Date.now(), MAX_SLEEP_MS));
      return null;
    }
    try {
      this.client = await openJdbcClient(settings.client);
      this.connectFailures = 0;
      return this.client;
    } catch (e) {
      this.connectFailures++;
      if (!(e instanceof JdbcError) || !e.retriable || this.connectFailures >= settings.connectionAttempts) throw e;
      this.nextConnectAt = Date.now() + settings.connectionBackoffMs;
      jdbcLogger.warn('Cannot connect to the database; retrying', { error: e.message, attempt: this.connectFailures });
      return null;
    }
  }

  private async closeClient(): Promise<void> {
    const c = this.client;
    this.client = null;
    if (c) await c.close();
  }

  private async tableQuerier(settings: JdbcSourceSettings, dialect: SqlDialect, table: TableId, reader: OffsetStorageReader): Promise<TableQuerier> {
    const incremental = settings.mode !== 'bulk';
    // Offsets may be keyed by the current protocol or by older connectors' unqualified name.
    let offset: TimestampIncrementingOffset = EMPTY_OFFSET;
    if (incremental) {
      for (const candidate of [tablePartition(dialect, table), legacyTablePartition(table)]) {
        const stored = await reader.offset(candidate);
        if (stored) {
          offset = offsetFromMap(stored);
          break;
        }
      }
    }
    return new TableQuerier({
      ...this.common(settings, dialect),
      from: { table },
      label: dialect.tableName(table, false),
      topic: settings.topicPrefix + table.table,
      partition: incremental ? tablePartition(dialect, table) : legacyTablePartition(table),
      schemaName: table.table,
      offset,
    });
  }

  private async queryQuerier(settings: JdbcSourceSettings, dialect: SqlDialect, reader: OffsetStorageReader): Promise<TableQuerier> {
    const stored = settings.mode === 'bulk' ? null : await reader.offset(QUERY_PARTITION);
    return new TableQuerier({
      ...this.common(settings, dialect),
      from: { query: settings.query },
      label: 'query',
      topic: settings.topicPrefix,
      partition: QUERY_PARTITION,
      schemaName: undefined,
      offset: offsetFromMap(stored),
    });
  }

  private common(settings: JdbcSourceSettings, dialect: SqlDialect) {
    return {
      dialect,
      mode: settings.mode,
      incrementingColumn: settings.incrementingColumn === '' ? null : settings.incrementingColumn,
      timestampColumns: settings.timestampColumns,
      timestampInitialMs: settings.timestampInitialMs,
      batchMaxRows: settings.batchMaxRows,
      delayMs: settings.timestampDelayMs,
      suffix: settings.querySuffix,
      mapping: { timeZone: settings.client.timeZone, numericMapping: settings.numericMapping },
    };
  }
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
