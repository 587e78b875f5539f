/**
 * Config keys every Debezium connector shares, with Debezium's names, defaults and allowed values,
 * and the typed settings parsed from them.
 */
import { ConfigDef, NO_DEFAULT, Validators, type ConfigKeyInput, type ConfigValueType } from '../../config/config-def.ts';
import type { Props } from '../../plugins/plugin-types.ts';
import { regexListError } from './table-filter.ts';

export type DecimalHandling = 'precise' | 'double' | 'string';
export type TimePrecision = 'adaptive' | 'adaptive_time_microseconds' | 'connect';

export interface CdcSettings {
  readonly hostname: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly topicPrefix: string;
  readonly tableInclude: readonly string[];
  readonly tableExclude: readonly string[];
  readonly columnInclude: readonly string[];
  readonly columnExclude: readonly string[];
  readonly snapshotMode: string;
  readonly heartbeatIntervalMs: number;
  readonly heartbeatTopicsPrefix: string;
  readonly tombstonesOnDelete: boolean;
  readonly decimalHandling: DecimalHandling;
  readonly timePrecision: TimePrecision;
  readonly maxBatchSize: number;
  readonly pollIntervalMs: number;
}

function group(name: string, list: Omit<ConfigKeyInput, 'group' | 'orderInGroup'>[]): ConfigKeyInput[] {
  return list.map((k, i) => ({ width: 'MEDIUM', ...k, group: name, orderInGroup: i + 1 }));
}

/** Keys shared by the PostgreSQL and MySQL connectors; `snapshotModes`, `defaultPort` and the default time precision differ. */
export function commonCdcKeys(o: { defaultPort: number; snapshotModes: readonly string[]; defaultTimePrecision?: TimePrecision }): ConfigKeyInput[] {
  const regexList = (name: string, value: ConfigValueType) => {
    const err = Array.isArray(value) ? regexListError(value) : null;
    if (err) throw new Error(`Invalid value ${String(value)} for configuration ${name}: ${err}`);
  };
  return [
    ...group('Connection', [
      { name: 'database.hostname', type: 'STRING', defaultValue: NO_DEFAULT, importance: 'HIGH', documentation: 'Resolvable hostname or IP address of the database server.', validator: Validators.nonEmptyString(), displayName: 'Hostname' },
      { name: 'database.port', type: 'INT', defaultValue: o.defaultPort, importance: 'HIGH', documentation: 'Port of the database server.', validator: Validators.between(1, 65535), validValues: '[1,...,65535]', displayName: 'Port' },
      { name: 'database.user', type: 'STRING', defaultValue: NO_DEFAULT, importance: 'HIGH', documentation: 'Name of the database user to connect as.', validator: Validators.nonEmptyString(), displayName: 'User' },
      { name: 'database.password', type: 'PASSWORD', defaultValue: null, importance: 'HIGH', documentation: 'Password of the database user.', displayName: 'Password' },
      { name: 'topic.prefix', type: 'STRING', defaultValue: NO_DEFAULT, importance: 'HIGH', documentation: 'Logical name of the database server: the prefix of every topic name and the `server` of the source partition.', validator: topicPrefixValidator, displayName: 'Topic prefix' },
    ]),
    ...group('Filters', [
      { name: 'table.include.list', type: 'LIST', defaultValue: null, importance: 'HIGH', documentation: 'Regular expressions matching fully-qualified table identifiers to capture; none set captures every table. Cannot be used with `table.exclude.list`.', validator: regexList, displayName: 'Include Tables' },
      { name: 'table.exclude.list', type: 'LIST', defaultValue: null, importance: 'MEDIUM', documentation: 'Regular expressions matching fully-qualified table identifiers not to capture. Cannot be used with `table.include.list`.', validator: regexList, displayName: 'Exclude Tables' },
      { name: 'column.include.list', type: 'LIST', defaultValue: null, importance: 'MEDIUM', documentation: 'Regular expressions matching fully-qualified column names (`<table id>.<column>`) to include in change events. Cannot be used with `column.exclude.list`.', validator: regexList, displayName: 'Include Columns' },
      { name: 'column.exclude.list', type: 'LIST', defaultValue: null, importance: 'MEDIUM', documentation: 'Regular expressions matching fully-qualified column names to leave out of change events. Cannot be used with `column.include.list`.', validator: regexList, displayName: 'Exclude Columns' },
    ]),
    ...group('Connector', [
      { name: 'snapshot.mode', type: 'STRING', defaultValue: 'initial', importance: 'MEDIUM', documentation: `When to take a snapshot of the captured tables: ${o.snapshotModes.map((m) => `\`${m}\``).join(', ')}.`, validator: Validators.in(...o.snapshotModes), validValues: `[${o.snapshotModes.join(', ')}]`, displayName: 'Snapshot mode' },
      { name: 'heartbeat.interval.ms', type: 'INT', defaultValue: 0, importance: 'MEDIUM', documentation: 'How often, in ms, a heartbeat record is sent to `<heartbeat.topics.prefix>.<topic.prefix>` so the committed position moves on while the captured tables are idle; 0 disables heartbeats.', validator: Validators.atLeast(0), validValues: '[0,...]', displayName: 'Connector heartbeat interval (milli-seconds)' },
      { name: 'heartbeat.topics.prefix', type: 'STRING', defaultValue: '__debezium-heartbeat', importance: 'LOW', documentation: 'Prefix of the heartbeat topic name.', validator: Validators.nonEmptyString(), displayName: 'A prefix used for naming of heartbeat topics' },
      { name: 'tombstones.on.delete', type: 'BOOLEAN', defaultValue: true, importance: 'MEDIUM', documentation: 'Whether a delete event is followed by a tombstone (null value) with the same key, so log compaction can remove the row.', displayName: 'Change the behaviour of Debezium with regards to delete operations' },
      { name: 'decimal.handling.mode', type: 'STRING', defaultValue: 'precise', importance: 'MEDIUM', documentation: 'How DECIMAL/NUMERIC values are represented: `precise` (Connect Decimal, exact), `double` (FLOAT64), `string` (plain text).', validator: Validators.in('precise', 'double', 'string'), validValues: '[precise, double, string]', displayName: 'Decimal Handling' },
      { name: 'time.precision.mode', type: 'STRING', defaultValue: o.defaultTimePrecision ?? 'adaptive', importance: 'MEDIUM', documentation: 'How time, date and timestamp values are represented: `adaptive` (Debezium types by column precision), `adaptive_time_microseconds` (TIME always in microseconds), `connect` (Kafka Connect\'s Date, Time, Timestamp; millisecond precision).', validator: Validators.in('adaptive', 'adaptive_time_microseconds', 'connect'), validValues: '[adaptive, adaptive_time_microseconds, connect]', displayName: 'Time Precision' },
      { name: 'max.batch.size', type: 'INT', defaultValue: 2048, importance: 'MEDIUM', documentation: 'Maximum number of events returned by one poll.', validator: Validators.atLeast(1), validValues: '[1,...]', displayName: 'Change event batch size' },
      { name: 'poll.interval.ms', type: 'LONG', defaultValue: 500, importance: 'MEDIUM', documentation: 'How long, in ms, a poll waits for new change events when none are ready.', validator: Validators.atLeast(0), validValues: '[0,...]', displayName: 'Poll interval (ms)' },
    ]),
  ];
}

function topicPrefixValidator(name: string, value: ConfigValueType): void {
  if (typeof value !== 'string') return;
  if (!/^[a-zA-Z0-9._-]+$/.test(value)) {
    throw new Error(`Invalid value ${value} for configuration ${name}: Topic prefix '${value}' has invalid character(s): it may only contain letters, digits, '.', '_' and '-'`);
  }
}

/** A ConfigDef from key lists. */
export function defineKeys(...lists: ConfigKeyInput[][]): ConfigDef {
  const def = new ConfigDef();
  for (const list of lists) for (const k of list) def.define(k);
  return def;
}

const asList = (v: ConfigValueType | undefined): string[] => (Array.isArray(v) ? v : []);

/** Parses the shared keys (the definition has already checked each value). */
export function parseCommon(def: ConfigDef, props: Props): CdcSettings & { parsed: Record<string, ConfigValueType> } {
  const p = def.parse(props);
  return {
    parsed: p,
    hostname: String(p['database.hostname']),
    port: Number(p['database.port']),
    user: String(p['database.user']),
    password: p['database.password'] === null ? '' : String(p['database.password']),
    topicPrefix: String(p['topic.prefix']),
    tableInclude: asList(p['table.include.list']),
    tableExclude: asList(p['table.exclude.list']),
    columnInclude: asList(p['column.include.list']),
    columnExclude: asList(p['column.exclude.list']),
    snapshotMode: String(p['snapshot.mode']),
    heartbeatIntervalMs: Number(p['heartbeat.interval.ms']),
    heartbeatTopicsPrefix: String(p['heartbeat.topics.prefix']),
    tombstonesOnDelete: p['tombstones.on.delete'] === true,
    decimalHandling: String(p['decimal.handling.mode']) as DecimalHandling,
    timePrecision: String(p['time.precision.mode']) as TimePrecision,
    maxBatchSize: Number(p['max.batch.size']),
    pollIntervalMs: Number(p['poll.interval.ms']),
  };
}

/** Cross-key errors Debezium reports for the shared keys. */
export function commonCrossKeyErrors(props: Props): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  const set = (k: string) => (props[k] ?? '').trim() !== '';
  for (const [a, b] of [
    ['table.include.list', 'table.exclude.list'],
    ['column.include.list', 'column.exclude.list'],
  ] as const) {
    if (set(a) && set(b)) errors[b] = [`"${a}" is already specified; "${b}" cannot be used together with it`];
  }
  return errors;
}
