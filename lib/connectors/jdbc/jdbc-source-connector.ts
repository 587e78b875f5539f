/**
 * The JDBC source connector (io.confluent.connect.jdbc.JdbcSourceConnector): finds the tables
 * to copy, spreads them round-robin over up to `tasks.max` tasks, and watches for tables
 * appearing or disappearing every `table.poll.interval.ms`, asking for new task configs when
 * the set changes.
 */
import type { ConfigDef, ConfigValueType } from '../../config/config-def.ts';
import type { ConnectorContext, Props, SourceConnector, SourceTask } from '../../plugins/plugin-types.ts';
import { checkConnectivity } from './connection-config.ts';
import { JdbcError } from './errors.ts';
import { dialectFor, openJdbcClient } from './jdbc-client.ts';
import { jdbcLogger } from './jdbc-logger.ts';
import { jdbcSourceConfigDef, parseSourceSettings, sourceCrossKeyErrors, TABLES_CONFIG, type JdbcSourceSettings } from './jdbc-source-config.ts';
import { integerValue, InvalidOffsetError, onlyKeys, type OffsetChange } from '../offset-checks.ts';
import { JdbcSourceTask } from './jdbc-source-task.ts';
import { OFFSET_PROTOCOL_VERSION_KEY, PROTOCOL_VERSION_ONE, QUERY_NAME_KEY, QUERY_NAME_VALUE, TABLE_NAME_KEY } from './source-offsets.ts';
import { JDBC_CONNECTOR_VERSION } from './jdbc-version.ts';
import type { TableId } from './sql-dialect.ts';
import { discoverTables, encodeTableList, groupRoundRobin, sameTables } from './table-discovery.ts';

export const JDBC_SOURCE_CLASS = 'io.confluent.connect.jdbc.JdbcSourceConnector';

export class JdbcSourceConnector implements SourceConnector {
  readonly type = 'source';
  private props: Props = {};
  private settings: JdbcSourceSettings | null = null;
  private context: ConnectorContext | null = null;
  private tables: TableId[] = [];
  private monitor: ReturnType<typeof setInterval> | null = null;
  private refreshing = false;

  version(): string {
    return JDBC_CONNECTOR_VERSION;
  }

  config(): ConfigDef {
    return jdbcSourceConfigDef();
  }

  async validate(props: Props): Promise<Record<string, string[]>> {
    const def = jdbcSourceConfigDef();
    const parsed: Record<string, ConfigValueType> = {};
    for (const r of def.validate(props)) parsed[r.name] = r.value;
    const errors = sourceCrossKeyErrors(parsed);
    const connectivity = await checkConnectivity(def, props);
    for (const [k, msgs] of Object.entries(connectivity)) errors[k] = [...(errors[k] ?? []), ...msgs];
    return errors;
  }

  async start(props: Props, context: ConnectorContext): Promise<void> {
    this.props = props;
    this.context = context;
    this.settings = parseSourceSettings(props);
    if (this.settings.query !== '') return;
    this.tables = await this.listTables(this.settings);
    jdbcLogger.info('JDBC source connector found tables', { count: this.tables.length });
    const interval = this.settings.tablePollIntervalMs;
    if (interval > 0) {
      this.monitor = setInterval(() => void this.refreshTables(), interval);
      this.monitor.unref();
    }
  }

  taskConfigs(maxTasks: number): Props[] {
    const settings = this.settings;
    if (!settings) throw new Error('taskConfigs called before start');
    if (settings.query !== '' || this.tables.length === 0) return [{ ...this.props, [TABLES_CONFIG]: '' }];
    const dialect = dialectFor(settings.client);
    return groupRoundRobin(this.tables, maxTasks).map((group) => ({ ...this.props, [TABLES_CONFIG]: encodeTableList(dialect, group) }));
  }

  /**
   * Accepts offsets in Confluent's JDBC source shape only (see source-offsets.ts): partition
   * `{"protocol": "1", "table"}`, `{"table"}` or `{"query": "query"}`; offset of whole-number
   * `timestamp_nanos` (0..999,999,999), `incrementing` and `timestamp`.
   */
  alterOffsets(_config: Props, offsets: readonly OffsetChange[]): boolean {
    for (const { partition, offset } of offsets) {
      if (QUERY_NAME_KEY in partition) {
        onlyKeys('Partition', partition, [QUERY_NAME_KEY]);
        if (partition[QUERY_NAME_KEY] !== QUERY_NAME_VALUE) throw new InvalidOffsetError(`A query partition must be {"${QUERY_NAME_KEY}": "${QUERY_NAME_VALUE}"}`);
      } else {
        onlyKeys('Partition', partition, [OFFSET_PROTOCOL_VERSION_KEY, TABLE_NAME_KEY]);
        const table = partition[TABLE_NAME_KEY];
        if (typeof table !== 'string' || table.trim() === '') throw new InvalidOffsetError(`Partition objects must contain the key '${TABLE_NAME_KEY}' with a table name, or be {"${QUERY_NAME_KEY}": "${QUERY_NAME_VALUE}"}`);
        const protocol = partition[OFFSET_PROTOCOL_VERSION_KEY];
        if (protocol !== undefined && protocol !== PROTOCOL_VERSION_ONE) throw new InvalidOffsetError(`The '${OFFSET_PROTOCOL_VERSION_KEY}' of a table partition must be "${PROTOCOL_VERSION_ONE}"`);
      }
      if (offset === null) continue;
      onlyKeys('Offset', offset, ['timestamp_nanos', 'incrementing', 'timestamp']);
      if ('incrementing' in offset) integerValue('offset', 'incrementing', offset.incrementing);
      if ('timestamp' in offset) integerValue('offset', 'timestamp', offset.timestamp);
      if ('timestamp_nanos' in offset) {
        if (!('timestamp' in offset)) throw new InvalidOffsetError(`An offset with 'timestamp_nanos' must also contain 'timestamp'`);
        integerValue('offset', 'timestamp_nanos', offset.timestamp_nanos, { min: 0, max: 999_999_999 });
      }
    }
    return false;
  }

  createTask(): SourceTask {
    return new JdbcSourceTask();
  }

  stop(): void {
    if (this.monitor) clearInterval(this.monitor);
    this.monitor = null;
  }

  /** The tables currently assigned (for tests and diagnostics). */
  currentTables(): readonly TableId[] {
    return this.tables;
  }

  /** Re-lists tables; when the set changed, asks the runtime for new task configs. */
  async refreshTables(): Promise<boolean> {
    const settings = this.settings;
    if (!settings || this.refreshing) return false;
    this.refreshing = true;
    try {
      const found = await this.listTables(settings);
      if (sameTables(dialectFor(settings.client), found, this.tables)) return false;
      jdbcLogger.info('JDBC source tables changed; reconfiguring tasks', { before: this.tables.length, after: found.length });
      this.tables = found;
      this.context?.requestTaskReconfiguration();
      return true;
    } catch (e) {
      if (e instanceof JdbcError && !e.retriable) {
        // E.g. two tables now share a topic name: Confluent fails the connector here too.
        this.context?.raiseError(e);
        return false;
      }
      // A failed listing (database briefly down) is retried at the next interval.
      jdbcLogger.warn('Listing tables failed; will retry', { error: (e as Error).message });
      return false;
    } finally {
      this.refreshing = false;
    }
  }

  private async listTables(settings: JdbcSourceSettings): Promise<TableId[]> {
    const client = await openJdbcClient(settings.client);
    try {
      const pattern = settings.client.connection.dialect === 'postgresql' ? settings.schemaPattern : settings.catalogPattern;
      return await discoverTables(client, settings, pattern, settings.tableTypes);
    } finally {
      await client.close();
    }
  }
}
