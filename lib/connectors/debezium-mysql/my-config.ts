/**
 * Configuration of the MySQL and MariaDB connectors: Debezium's keys for them, with the same
 * names, defaults and allowed values, parsed into typed settings.
 */
import { Validators, type ConfigDef } from '../../config/config-def.ts';
import type { Props } from '../../plugins/plugin-types.ts';
import { commonCdcKeys, commonCrossKeyErrors, defineKeys, parseCommon, type CdcSettings } from '../debezium-common/cdc-config.ts';
import { regexListError } from '../debezium-common/table-filter.ts';

export const MY_SNAPSHOT_MODES = ['initial', 'initial_only', 'when_needed', 'no_data', 'schema_only', 'never'] as const;

export interface MySettings extends CdcSettings {
  readonly serverId: number;
  readonly databaseInclude: readonly string[];
  readonly databaseExclude: readonly string[];
  readonly includeSchemaChanges: boolean;
  readonly flavor: 'mysql' | 'mariadb';
}

const regexList = (name: string, value: unknown) => {
  const err = Array.isArray(value) ? regexListError(value as string[]) : null;
  if (err) throw new Error(`Invalid value ${String(value)} for configuration ${name}: ${err}`);
};

export function myConfigDef(): ConfigDef {
  return defineKeys(commonCdcKeys({ defaultPort: 3306, snapshotModes: MY_SNAPSHOT_MODES, defaultTimePrecision: 'adaptive_time_microseconds' }), [
    { name: 'database.server.id', type: 'LONG', defaultValue: null, importance: 'LOW', documentation: 'The replica server id this connector reads the binlog as; unique among the server\'s replicas. Unset, a random one between 5400 and 6400 is used, as Debezium does.', validator: Validators.between(1, 4294967295), validValues: '[1,...,4294967295]', group: 'Connection', orderInGroup: 10, width: 'MEDIUM', displayName: 'Cluster ID' },
    { name: 'database.include.list', type: 'LIST', defaultValue: null, importance: 'HIGH', documentation: 'Regular expressions matching database names to capture. Cannot be used with `database.exclude.list`.', validator: regexList, group: 'Filters', orderInGroup: 10, width: 'MEDIUM', displayName: 'Include Databases' },
    { name: 'database.exclude.list', type: 'LIST', defaultValue: null, importance: 'MEDIUM', documentation: 'Regular expressions matching database names not to capture.', validator: regexList, group: 'Filters', orderInGroup: 11, width: 'MEDIUM', displayName: 'Exclude Databases' },
    { name: 'include.schema.changes', type: 'BOOLEAN', defaultValue: true, importance: 'MEDIUM', documentation: 'Whether DDL statements of the captured databases are sent to the `<topic.prefix>` topic, as Debezium\'s schema change events (key `{databaseName}`, value `{source, ts_ms, databaseName, schemaName, ddl, tableChanges}`; the snapshot sends each captured table\'s CREATE TABLE).', group: 'Connector', orderInGroup: 20, width: 'MEDIUM', displayName: 'Include database schema changes' },
  ]);
}

export function parseMySettings(props: Props, flavor: 'mysql' | 'mariadb'): MySettings {
  const def = myConfigDef();
  const c = parseCommon(def, props);
  const p = c.parsed;
  const list = (k: string) => (Array.isArray(p[k]) ? (p[k] as string[]) : []);
  return {
    ...c,
    serverId: p['database.server.id'] === null ? 5400 + Math.floor(Math.random() * 1000) : Number(p['database.server.id']),
    databaseInclude: list('database.include.list'),
    databaseExclude: list('database.exclude.list'),
    includeSchemaChanges: p['include.schema.changes'] === true,
    flavor,
  };
}

export function myCrossKeyErrors(props: Props): Record<string, string[]> {
  const errors = commonCrossKeyErrors(props);
  if ((props['database.include.list'] ?? '').trim() && (props['database.exclude.list'] ?? '').trim()) {
    errors['database.exclude.list'] = ['"database.include.list" is already specified; "database.exclude.list" cannot be used together with it'];
  }
  return errors;
}
