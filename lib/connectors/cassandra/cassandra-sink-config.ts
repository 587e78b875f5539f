/**
 * The Cassandra sink's options: the keys of the DataStax Apache Kafka Connector
 * (`contactPoints`, `loadBalancing.localDc`, `auth.*`, `ssl.*`, `maxConcurrentRequests`, …) and
 * its topic-to-table settings `topic.<topic>.<keyspace>.<table>.<setting>`, whose names hold
 * the topic and table and so cannot be ConfigDef keys: they are parsed here on their own.
 */
import { ConfigDef, Validators } from '../../config/config-def.ts';
import type { Props } from '../../plugins/plugin-types.ts';
import { parseMapping, TIME_UNITS, type ColumnMapping, type TimeUnit } from './cassandra-mapping.ts';

export const CONSISTENCY_LEVELS = ['ANY', 'ONE', 'TWO', 'THREE', 'QUORUM', 'ALL', 'LOCAL_QUORUM', 'EACH_QUORUM', 'LOCAL_ONE'] as const;
export type ConsistencyLevel = (typeof CONSISTENCY_LEVELS)[number];

export function cassandraSinkConfigDef(): ConfigDef {
  return new ConfigDef()
    .define({ name: 'contactPoints', type: 'LIST', defaultValue: [], importance: 'HIGH', documentation: 'Hosts (or host:port) of the nodes to connect to first; the driver discovers the rest. Empty: 127.0.0.1.' })
    .define({ name: 'port', type: 'INT', defaultValue: 9042, importance: 'HIGH', validator: Validators.between(1, 65535), documentation: 'The native transport (CQL) port of contact points given without one.' })
    .define({ name: 'loadBalancing.localDc', type: 'STRING', defaultValue: '', importance: 'HIGH', documentation: 'The data center the driver sends requests to; required with contactPoints.' })
    .define({ name: 'auth.provider', type: 'STRING', defaultValue: 'None', importance: 'HIGH', validator: Validators.in('None', 'PLAIN'), validValues: '[None, PLAIN]', documentation: 'None, or PLAIN for username and password authentication (GSSAPI is not supported).' })
    .define({ name: 'auth.username', type: 'STRING', defaultValue: '', importance: 'HIGH', documentation: 'The user to log in as (PLAIN).' })
    .define({ name: 'auth.password', type: 'PASSWORD', defaultValue: '', importance: 'HIGH', documentation: 'The user\'s password (PLAIN).' })
    .define({ name: 'ssl.provider', type: 'STRING', defaultValue: 'None', importance: 'HIGH', validator: Validators.in('None', 'JDK', 'OpenSSL'), validValues: '[None, JDK, OpenSSL]', documentation: 'None, or JDK or OpenSSL for TLS (both use Node\'s TLS here).' })
    .define({ name: 'ssl.hostnameValidation', type: 'BOOLEAN', defaultValue: true, importance: 'MEDIUM', documentation: 'Check that the node\'s certificate names the host connected to.' })
    .define({ name: 'ssl.openssl.keyCertChain', type: 'STRING', defaultValue: '', importance: 'LOW', documentation: 'PEM file of the client certificate chain, for client authentication.' })
    .define({ name: 'ssl.openssl.privateKey', type: 'STRING', defaultValue: '', importance: 'LOW', documentation: 'PEM file of the client\'s private key, for client authentication.' })
    .define({ name: 'ssl.cafile', type: 'STRING', defaultValue: '', importance: 'LOW', documentation: 'Tributary: PEM file of the CAs to trust instead of the system ones (the Java trust store keys are not read).' })
    .define({ name: 'maxConcurrentRequests', type: 'INT', defaultValue: 500, importance: 'MEDIUM', validator: Validators.atLeast(1), documentation: 'The most requests (statements or batches) a task has in flight at once.' })
    .define({ name: 'queryExecutionTimeout', type: 'INT', defaultValue: 30, importance: 'MEDIUM', validator: Validators.atLeast(1), documentation: 'Seconds a request may take before it fails (and the batch is retried).' })
    .define({ name: 'maxNumberOfRecordsInBatch', type: 'INT', defaultValue: 32, importance: 'MEDIUM', validator: Validators.atLeast(1), documentation: 'The most records of one partition written in one unlogged batch.' })
    .define({ name: 'connectionPoolLocalSize', type: 'INT', defaultValue: 4, importance: 'LOW', validator: Validators.atLeast(1), documentation: 'Connections to each node of the local data center.' })
    .define({ name: 'ignoreErrors', type: 'STRING', defaultValue: 'None', importance: 'LOW', validator: Validators.in('None', 'All', 'Driver'), validValues: '[None, All, Driver]', documentation: 'None fails the task on a record that cannot be written; Driver skips records the cluster rejected; All also skips records that do not fit the mapping. Skipped records are logged.' });
}

export const TABLE_SETTINGS = ['mapping', 'consistencyLevel', 'ttl', 'ttlTimeUnit', 'timestampTimeUnit', 'deletesEnabled', 'nullToUnset'] as const;
type TableSetting = (typeof TABLE_SETTINGS)[number];
const SETTING_KEY = new RegExp(`^topic\\.(.+)\\.([^.]+)\\.([^.]+)\\.(${TABLE_SETTINGS.join('|')}|query)$`);

/** Where one topic's records go: a table, its mapping and write options. */
export interface TableSpec {
  readonly topic: string;
  readonly keyspace: string;
  readonly table: string;
  /** `topic.<topic>.<keyspace>.<table>.`: the prefix of its settings, for messages. */
  readonly prefix: string;
  readonly mapping: ColumnMapping;
  readonly consistencyLevel: ConsistencyLevel;
  /** -1: none unless mapped with `__ttl`. */
  readonly ttl: number;
  readonly ttlTimeUnit: TimeUnit;
  readonly timestampTimeUnit: TimeUnit;
  readonly deletesEnabled: boolean;
  readonly nullToUnset: boolean;
}

/** Parses every topic-to-table setting; errors are per key, so validate can report them all. */
export function parseTableSettings(props: Props): { tables: TableSpec[]; errors: Record<string, string[]> } {
  const grouped = new Map<string, { topic: string; keyspace: string; table: string; settings: Partial<Record<TableSetting | 'query', string>> }>();
  for (const [key, value] of Object.entries(props)) {
    const m = SETTING_KEY.exec(key);
    if (!m) continue;
    const [, topic = '', keyspace = '', table = '', setting = ''] = m;
    const id = `topic.${topic}.${keyspace}.${table}.`;
    const entry = grouped.get(id) ?? { topic, keyspace, table, settings: {} };
    entry.settings[setting as TableSetting] = value;
    grouped.set(id, entry);
  }
  const tables: TableSpec[] = [];
  const errors: Record<string, string[]> = {};
  const fail = (key: string, message: string) => (errors[key] ??= []).push(message);
  for (const [prefix, { topic, keyspace, table, settings: s }] of grouped) {
    const before = Object.keys(errors).length;
    if (s.query !== undefined) fail(`${prefix}query`, `${prefix}query is not supported: Tributary writes with the statements it prepares from the mapping.`);
    if (s.mapping === undefined || s.mapping.trim() === '') {
      fail(`${prefix}mapping`, `Missing required configuration "${prefix}mapping" which has no default value.`);
      continue;
    }
    const mapping = parseMapping(s.mapping);
    for (const e of mapping.errors) fail(`${prefix}mapping`, `Invalid value ${s.mapping} for configuration ${prefix}mapping: ${e}`);
    const cl = (s.consistencyLevel ?? 'LOCAL_ONE').toUpperCase();
    if (!(CONSISTENCY_LEVELS as readonly string[]).includes(cl)) fail(`${prefix}consistencyLevel`, `Invalid value ${s.consistencyLevel} for configuration ${prefix}consistencyLevel: valid values include: ${CONSISTENCY_LEVELS.join(', ')}`);
    const ttl = Number(s.ttl ?? '-1');
    if (!Number.isInteger(ttl) || ttl < -1) fail(`${prefix}ttl`, `Invalid value ${s.ttl} for configuration ${prefix}ttl: Value must be an integer of at least -1`);
    const unit = (name: 'ttlTimeUnit' | 'timestampTimeUnit', fallback: TimeUnit): TimeUnit => {
      const v = (s[name] ?? fallback).toUpperCase();
      if ((TIME_UNITS as readonly string[]).includes(v)) return v as TimeUnit;
      fail(`${prefix}${name}`, `Invalid value ${s[name]} for configuration ${prefix}${name}: String must be one of: ${TIME_UNITS.join(', ')}`);
      return fallback;
    };
    const bool = (name: 'deletesEnabled' | 'nullToUnset'): boolean => {
      const v = (s[name] ?? 'true').trim().toLowerCase();
      if (v !== 'true' && v !== 'false') fail(`${prefix}${name}`, `Invalid value ${s[name]} for configuration ${prefix}${name}: Expected value to be either true or false`);
      return v !== 'false';
    };
    const spec: TableSpec = {
      topic,
      keyspace,
      table,
      prefix,
      mapping: mapping.mapping,
      consistencyLevel: cl as ConsistencyLevel,
      ttl,
      ttlTimeUnit: unit('ttlTimeUnit', 'SECONDS'),
      timestampTimeUnit: unit('timestampTimeUnit', 'MICROSECONDS'),
      deletesEnabled: bool('deletesEnabled'),
      nullToUnset: bool('nullToUnset'),
    };
    if (Object.keys(errors).length === before) tables.push(spec);
  }
  return { tables, errors };
}

/** Every topic the connector reads must go to at least one table (the DataStax connector's rule). */
export function unmappedTopics(props: Props, tables: readonly TableSpec[]): string[] {
  const topics = (props.topics ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  return topics.filter((t) => !tables.some((s) => s.topic === t));
}
