/**
 * Configuration of the JDBC source connector: Confluent's JdbcSourceConnectorConfig keys with
 * the same names and defaults, parsed into typed settings, plus the cross-key checks.
 */
import { ConfigDef, ConfigError, NO_DEFAULT, Validators, type ConfigKeyInput, type ConfigValueType } from '../../config/config-def.ts';
import type { Props } from '../../plugins/plugin-types.ts';
import { NUMERIC_MAPPINGS, type NumericMapping } from './column-type-mapper.ts';
import { clientSettingsFrom, defineConnectionKeys } from './connection-config.ts';
import type { ClientSettings } from './jdbc-client.ts';

export type SourceMode = 'bulk' | 'incrementing' | 'timestamp' | 'timestamp+incrementing';
export const SOURCE_MODES: readonly SourceMode[] = ['bulk', 'incrementing', 'timestamp', 'timestamp+incrementing'];

/** The task config key holding a task's tables, comma-separated and quoted as Confluent writes it. */
export const TABLES_CONFIG = 'tables';

export interface JdbcSourceSettings {
  readonly client: ClientSettings;
  readonly connectionAttempts: number;
  readonly connectionBackoffMs: number;
  readonly mode: SourceMode;
  readonly incrementingColumn: string;
  readonly timestampColumns: readonly string[];
  readonly timestampInitialMs: number | null;
  readonly validateNonNull: boolean;
  readonly query: string;
  readonly querySuffix: string;
  readonly topicPrefix: string;
  readonly whitelist: readonly string[];
  readonly blacklist: readonly string[];
  readonly includeList: readonly string[];
  readonly excludeList: readonly string[];
  readonly catalogPattern: string | null;
  readonly schemaPattern: string | null;
  readonly tableTypes: readonly string[];
  readonly pollIntervalMs: number;
  readonly batchMaxRows: number;
  readonly tablePollIntervalMs: number;
  readonly timestampDelayMs: number;
  readonly numericMapping: NumericMapping;
  readonly queryRetryAttempts: number;
  /** Task configs only: the tables assigned to the task. */
  readonly tables: readonly string[];
}

const DATABASE = 'Database';
const MODE = 'Mode';
const CONNECTOR = 'Connector';

function keys(group: string, list: Omit<ConfigKeyInput, 'group' | 'orderInGroup'>[]): ConfigKeyInput[] {
  return list.map((k, i) => ({ width: 'MEDIUM', ...k, group, orderInGroup: i + 1 }));
}

const SOURCE_KEYS: ConfigKeyInput[] = [
  ...keys(DATABASE, [
    { name: 'table.whitelist', type: 'LIST', defaultValue: [], importance: 'MEDIUM', documentation: 'List of tables to include in copying (unqualified or fully-qualified names). If specified, `table.blacklist` may not be set.', displayName: 'Table Whitelist' },
    { name: 'table.blacklist', type: 'LIST', defaultValue: [], importance: 'MEDIUM', documentation: 'List of tables to exclude from copying. If specified, `table.whitelist` may not be set.', displayName: 'Table Blacklist' },
    { name: 'table.include.list', type: 'LIST', defaultValue: [], importance: 'MEDIUM', documentation: 'Regular expressions matching the fully-qualified names (`schema.table` on PostgreSQL, `database.table` on MySQL) of tables to copy. Cannot be combined with `table.whitelist` / `table.blacklist`.', displayName: 'Tables Included (Regex)' },
    { name: 'table.exclude.list', type: 'LIST', defaultValue: [], importance: 'MEDIUM', documentation: 'Regular expressions matching fully-qualified names of tables not to copy, among those matching `table.include.list` (which it requires).', displayName: 'Tables Excluded (Regex)' },
    { name: 'catalog.pattern', type: 'STRING', defaultValue: null, importance: 'MEDIUM', documentation: 'MySQL: SQL LIKE pattern of the databases whose tables are listed. Null (default) lists the tables of the database in the URL.', displayName: 'Catalog pattern' },
    { name: 'schema.pattern', type: 'STRING', defaultValue: null, importance: 'MEDIUM', documentation: 'PostgreSQL: SQL LIKE pattern of the schemas whose tables are listed. Null (default) lists all non-system schemas.', displayName: 'Schema pattern' },
    { name: 'table.types', type: 'LIST', defaultValue: ['TABLE'], importance: 'LOW', documentation: 'Types of tables to copy: `TABLE`, `VIEW`.', displayName: 'Table Types' },
    { name: 'numeric.mapping', type: 'STRING', defaultValue: null, importance: 'LOW', documentation: 'How NUMERIC/DECIMAL columns are mapped: null or `none` (Decimal), `precision_only` (integers for scale 0), `best_fit` (integers or FLOAT64 when precision <= 18), `best_fit_eager_double` (FLOAT64 whenever scale > 0).', validator: Validators.in(...NUMERIC_MAPPINGS), validValues: '[none, precision_only, best_fit, best_fit_eager_double]', displayName: 'Map Numeric Values By Precision and Scale' },
  ]),
  ...keys(MODE, [
    { name: 'mode', type: 'STRING', defaultValue: NO_DEFAULT, importance: 'HIGH', documentation: 'How each table is polled: `bulk` (whole table each poll), `incrementing` (new rows by a strictly increasing column), `timestamp` (new and changed rows by a timestamp column), `timestamp+incrementing` (both: new and changed rows, each with a unique offset).', validator: Validators.in(...SOURCE_MODES), validValues: '[bulk, timestamp, incrementing, timestamp+incrementing]', displayName: 'Table Loading Mode' },
    { name: 'incrementing.column.name', type: 'STRING', defaultValue: '', importance: 'MEDIUM', documentation: 'The strictly incrementing column used to detect new rows. Empty autodetects an auto-increment column. The column may not be nullable.', displayName: 'Incrementing Column Name' },
    { name: 'timestamp.column.name', type: 'LIST', defaultValue: [], importance: 'MEDIUM', documentation: 'One or more timestamp columns detecting new or modified rows, combined with COALESCE. At least one should not be nullable.', displayName: 'Timestamp Column Name' },
    { name: 'timestamp.initial', type: 'LONG', defaultValue: null, importance: 'LOW', documentation: 'Epoch millis of the first timestamp to read when there is no offset; -1 means now. Null (default) reads everything.', displayName: 'Unix time value of initial timestamp' },
    { name: 'validate.non.null', type: 'BOOLEAN', defaultValue: true, importance: 'LOW', documentation: 'Whether to check at start that incrementing and timestamp columns are NOT NULL.', displayName: 'Validate Non Null' },
    { name: 'query', type: 'STRING', defaultValue: '', importance: 'MEDIUM', documentation: 'A query to copy instead of whole tables. Incremental modes append a WHERE clause, so the query must not have one of its own.', displayName: 'Query' },
    { name: 'query.suffix', type: 'STRING', defaultValue: '', importance: 'LOW', documentation: 'Suffix appended to the generated query (before the row limit).', displayName: 'Query suffix' },
  ]),
  ...keys(CONNECTOR, [
    { name: 'topic.prefix', type: 'STRING', defaultValue: NO_DEFAULT, importance: 'HIGH', documentation: 'Prefix prepended to table names to make topic names; with `query`, the full topic name.', displayName: 'Topic Prefix' },
    { name: 'poll.interval.ms', type: 'INT', defaultValue: 5000, importance: 'HIGH', documentation: 'Frequency in ms to poll for new data in each table.', validator: Validators.atLeast(0), validValues: '[0,...]', displayName: 'Poll Interval (ms)' },
    { name: 'batch.max.rows', type: 'INT', defaultValue: 1000, importance: 'LOW', documentation: 'Maximum number of rows returned by one poll, and the row limit of each incremental query.', validator: Validators.atLeast(1), validValues: '[1,...]', displayName: 'Max Rows Per Batch' },
    { name: 'table.poll.interval.ms', type: 'LONG', defaultValue: 60000, importance: 'LOW', documentation: 'Frequency in ms to look for new or removed tables; a change reconfigures the tasks.', validator: Validators.atLeast(0), validValues: '[0,...]', displayName: 'Metadata Change Monitoring Interval (ms)' },
    { name: 'timestamp.delay.interval.ms', type: 'LONG', defaultValue: 0, importance: 'HIGH', documentation: 'How long after a row gets a timestamp before it is read, to let transactions with earlier timestamps commit. Rows are read up to the database time minus this delay.', validator: Validators.atLeast(0), validValues: '[0,...]', displayName: 'Delay Interval (ms)' },
    { name: 'query.retry.attempts', type: 'INT', defaultValue: -1, importance: 'LOW', documentation: 'How many times a failed query is retried on the next polls before the task fails; -1 retries forever. Only lost connections and transient errors are retried.', displayName: 'Query Retry Attempts' },
    { name: TABLES_CONFIG, type: 'LIST', defaultValue: [], importance: 'LOW', documentation: 'Set by the connector in each task config: the tables the task copies.', internal: true, displayName: 'Tables' },
  ]),
];

/** The source connector's ConfigDef. */
export function jdbcSourceConfigDef(): ConfigDef {
  const def = defineConnectionKeys(new ConfigDef());
  for (const k of SOURCE_KEYS) def.define(k);
  return def;
}

/** Parses and cross-checks source props; throws ConfigError naming the first bad key. */
export function parseSourceSettings(props: Props): JdbcSourceSettings {
  const p = jdbcSourceConfigDef().parse(props);
  const errors = sourceCrossKeyErrors(p);
  const first = Object.entries(errors)[0];
  if (first) throw new ConfigError(first[1][0] ?? 'invalid', first[0]);
  const list = (k: string) => (p[k] as string[] | null) ?? [];
  return {
    client: clientSettingsFrom(p),
    connectionAttempts: p['connection.attempts'] as number,
    connectionBackoffMs: p['connection.backoff.ms'] as number,
    mode: p['mode'] as SourceMode,
    incrementingColumn: String(p['incrementing.column.name'] ?? ''),
    timestampColumns: list('timestamp.column.name').filter((c) => c !== ''),
    timestampInitialMs: p['timestamp.initial'] as number | null,
    validateNonNull: p['validate.non.null'] as boolean,
    query: String(p['query'] ?? '').trim(),
    querySuffix: String(p['query.suffix'] ?? ''),
    topicPrefix: String(p['topic.prefix']),
    whitelist: list('table.whitelist'),
    blacklist: list('table.blacklist'),
    includeList: list('table.include.list'),
    excludeList: list('table.exclude.list'),
    catalogPattern: p['catalog.pattern'] as string | null,
    schemaPattern: p['schema.pattern'] as string | null,
    tableTypes: list('table.types'),
    pollIntervalMs: p['poll.interval.ms'] as number,
    batchMaxRows: p['batch.max.rows'] as number,
    tablePollIntervalMs: p['table.poll.interval.ms'] as number,
    timestampDelayMs: p['timestamp.delay.interval.ms'] as number,
    numericMapping: ((p['numeric.mapping'] as string | null) ?? 'none') as NumericMapping,
    queryRetryAttempts: p['query.retry.attempts'] as number,
    tables: list(TABLES_CONFIG),
  };
}

/** Checks that only make sense across keys, keyed by the key to blame. */
export function sourceCrossKeyErrors(p: Readonly<Record<string, ConfigValueType>>): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  const add = (k: string, m: string) => (errors[k] ??= []).push(m);
  const has = (k: string) => Array.isArray(p[k]) && (p[k] as string[]).length > 0;
  const mode = p['mode'];
  const tsCols = ((p['timestamp.column.name'] as string[] | null) ?? []).filter((c) => c !== '');
  if ((mode === 'timestamp' || mode === 'timestamp+incrementing') && tsCols.length === 0) {
    add('timestamp.column.name', `timestamp.column.name is required when mode is ${String(mode)}`);
  }
  const query = String(p['query'] ?? '').trim();
  if (query !== '' && (mode === 'incrementing' || mode === 'timestamp+incrementing') && String(p['incrementing.column.name'] ?? '') === '') {
    add('incrementing.column.name', 'incrementing.column.name is required with query in incrementing modes (it cannot be autodetected)');
  }
  const filters = ['table.whitelist', 'table.blacklist', 'table.include.list', 'table.exclude.list'].filter(has);
  if (query !== '' && filters.length > 0) add('query', `query may not be combined with whole-table copying settings (${filters.join(', ')})`);
  if (has('table.whitelist') && has('table.blacklist')) add('table.blacklist', 'table.whitelist and table.blacklist may not both be set');
  if ((has('table.include.list') || has('table.exclude.list')) && (has('table.whitelist') || has('table.blacklist'))) {
    add('table.include.list', 'table.include.list / table.exclude.list may not be combined with table.whitelist / table.blacklist');
  }
  if (has('table.exclude.list') && !has('table.include.list')) add('table.exclude.list', 'table.exclude.list requires table.include.list');
  for (const k of ['table.include.list', 'table.exclude.list']) {
    for (const re of (p[k] as string[] | null) ?? []) {
      try {
        new RegExp(re);
      } catch (e) {
        add(k, `Invalid regular expression ${re}: ${(e as Error).message}`);
      }
    }
  }
  return errors;
}
