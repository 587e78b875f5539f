/**
 * Configuration of the JDBC sink connector: Confluent's JdbcSinkConfig keys with the same
 * names and defaults, parsed into typed settings, plus the cross-key checks.
 */
import { ConfigDef, ConfigError, Validators, type ConfigKeyInput, type ConfigValueType } from '../../config/config-def.ts';
import type { Props } from '../../plugins/plugin-types.ts';
import { clientSettingsFrom, defineConnectionKeys } from './connection-config.ts';
import type { ClientSettings } from './jdbc-client.ts';

export type InsertMode = 'insert' | 'upsert' | 'update';
export type PkMode = 'none' | 'kafka' | 'record_key' | 'record_value';
export const DEFAULT_KAFKA_PK_NAMES = ['__connect_topic', '__connect_partition', '__connect_offset'] as const;

export interface JdbcSinkSettings {
  readonly client: ClientSettings;
  readonly connectorName: string;
  readonly tableNameFormat: string;
  readonly insertMode: InsertMode;
  readonly pkMode: PkMode;
  readonly pkFields: readonly string[];
  /** Empty: all value fields. */
  readonly fieldsInclude: readonly string[];
  readonly autoCreate: boolean;
  readonly autoEvolve: boolean;
  readonly deleteEnabled: boolean;
  readonly batchSize: number;
  readonly maxRetries: number;
  readonly retryBackoffMs: number;
}

function group(name: string, list: Omit<ConfigKeyInput, 'group' | 'orderInGroup'>[]): ConfigKeyInput[] {
  return list.map((k, i) => ({ width: 'MEDIUM', ...k, group: name, orderInGroup: i + 1 }));
}

const SINK_KEYS: ConfigKeyInput[] = [
  ...group('Writes', [
    { name: 'insert.mode', type: 'STRING', defaultValue: 'insert', importance: 'HIGH', documentation: 'How rows are written: `insert` (plain INSERT), `upsert` (PostgreSQL `INSERT .. ON CONFLICT .. DO UPDATE`, MySQL `INSERT .. ON DUPLICATE KEY UPDATE`; idempotent under redelivery) or `update` (UPDATE by primary key).', validator: Validators.in('insert', 'upsert', 'update'), validValues: '[insert, upsert, update]', displayName: 'Insert Mode' },
    { name: 'batch.size', type: 'INT', defaultValue: 3000, importance: 'MEDIUM', documentation: 'How many records to write together in one statement, when possible.', validator: Validators.atLeast(0), validValues: '[0,...]', displayName: 'Batch Size' },
    { name: 'delete.enabled', type: 'BOOLEAN', defaultValue: false, importance: 'MEDIUM', documentation: 'Whether to treat `null` record values (tombstones) as deletes. Requires `pk.mode` to be `record_key`.', displayName: 'Enable deletes' },
  ]),
  ...group('Data Mapping', [
    { name: 'table.name.format', type: 'STRING', defaultValue: '${topic}', importance: 'MEDIUM', documentation: "A format string for the destination table name, which may contain '${topic}' as a placeholder for the originating topic name, e.g. `kafka_${topic}`. A qualified name (`schema.table`, `db.table`) is allowed.", displayName: 'Table Name Format' },
    { name: 'pk.mode', type: 'STRING', defaultValue: 'none', importance: 'HIGH', documentation: 'The primary key mode: `none` (no keys), `kafka` (topic, partition and offset), `record_key` (field(s) of the record key, a primitive or a struct), `record_value` (field(s) of the record value struct).', validator: Validators.in('none', 'kafka', 'record_key', 'record_value'), validValues: '[none, kafka, record_key, record_value]', displayName: 'Primary Key Mode' },
    { name: 'pk.fields', type: 'LIST', defaultValue: [], importance: 'MEDIUM', documentation: 'Primary key field names. `kafka`: exactly three names for topic, partition and offset, default `__connect_topic,__connect_partition,__connect_offset`. `record_key`: empty takes all key struct fields; a primitive key needs exactly one name. `record_value`: empty takes all value fields.', displayName: 'Primary Key Fields' },
    { name: 'fields.whitelist', type: 'LIST', defaultValue: [], importance: 'MEDIUM', documentation: 'Record value fields to write; empty writes them all. Primary key fields are chosen by `pk.fields` independently.', displayName: 'Fields Whitelist' },
    { name: 'fields.include.list', type: 'LIST', defaultValue: [], importance: 'MEDIUM', documentation: 'Newer name of `fields.whitelist`; takes precedence when both are set.', displayName: 'Fields Include List' },
  ]),
  ...group('DDL Support', [
    { name: 'auto.create', type: 'BOOLEAN', defaultValue: false, importance: 'MEDIUM', documentation: 'Whether to create the destination table from the record schema with `CREATE TABLE` when it is missing.', displayName: 'Auto-Create' },
    { name: 'auto.evolve', type: 'BOOLEAN', defaultValue: false, importance: 'MEDIUM', documentation: 'Whether to add columns missing from the table with `ALTER TABLE` when the record schema has new fields (optional or with a default).', displayName: 'Auto-Evolve' },
  ]),
  ...group('Retries', [
    { name: 'max.retries', type: 'INT', defaultValue: 10, importance: 'MEDIUM', documentation: 'The maximum number of times a batch failing with a transient error (lost connection, deadlock) is retried before the task fails.', validator: Validators.atLeast(0), validValues: '[0,...]', displayName: 'Maximum Retries' },
    { name: 'retry.backoff.ms', type: 'INT', defaultValue: 3000, importance: 'MEDIUM', documentation: 'The time in milliseconds to wait following an error before a retry attempt is made.', validator: Validators.atLeast(0), validValues: '[0,...]', displayName: 'Retry Backoff (millis)' },
  ]),
];

/** The sink connector's ConfigDef. */
export function jdbcSinkConfigDef(): ConfigDef {
  const def = defineConnectionKeys(new ConfigDef());
  for (const k of SINK_KEYS) def.define(k);
  return def;
}

/** Parses and cross-checks sink props; throws ConfigError naming the first bad key. */
export function parseSinkSettings(props: Props): JdbcSinkSettings {
  const p = jdbcSinkConfigDef().parse(props);
  const first = Object.entries(sinkCrossKeyErrors(p))[0];
  if (first) throw new ConfigError(first[1][0] ?? 'invalid', first[0]);
  const list = (k: string) => (p[k] as string[] | null) ?? [];
  const include = list('fields.include.list');
  return {
    client: clientSettingsFrom(p),
    connectorName: props['name'] ?? '',
    tableNameFormat: String(p['table.name.format']),
    insertMode: p['insert.mode'] as InsertMode,
    pkMode: p['pk.mode'] as PkMode,
    pkFields: list('pk.fields'),
    fieldsInclude: include.length > 0 ? include : list('fields.whitelist'),
    autoCreate: p['auto.create'] as boolean,
    autoEvolve: p['auto.evolve'] as boolean,
    deleteEnabled: p['delete.enabled'] as boolean,
    batchSize: Math.max(1, p['batch.size'] as number),
    maxRetries: p['max.retries'] as number,
    retryBackoffMs: p['retry.backoff.ms'] as number,
  };
}

export function sinkCrossKeyErrors(p: Readonly<Record<string, ConfigValueType>>): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  const add = (k: string, m: string) => (errors[k] ??= []).push(m);
  const pkMode = p['pk.mode'];
  const pkFields = (p['pk.fields'] as string[] | null) ?? [];
  if (p['delete.enabled'] === true && pkMode !== 'record_key') {
    add('delete.enabled', 'Primary key mode must be \'record_key\' when delete support is enabled');
  }
  if ((p['insert.mode'] === 'upsert' || p['insert.mode'] === 'update') && pkMode === 'none') {
    add('pk.mode', `insert.mode ${String(p['insert.mode'])} needs primary key columns; set pk.mode to record_key, record_value or kafka`);
  }
  if (pkMode === 'kafka' && pkFields.length !== 0 && pkFields.length !== 3) {
    add('pk.fields', 'PK mode kafka needs either no pk.fields (for the defaults __connect_topic,__connect_partition,__connect_offset) or exactly 3');
  }
  if (!String(p['table.name.format'] ?? '').trim()) add('table.name.format', 'table.name.format must not be empty');
  return errors;
}
