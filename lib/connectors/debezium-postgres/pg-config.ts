/**
 * Configuration of the PostgreSQL connector: Debezium's keys for it, with the same names,
 * defaults and allowed values, parsed into typed settings.
 */
import { NO_DEFAULT, Validators, type ConfigDef } from '../../config/config-def.ts';
import type { Props } from '../../plugins/plugin-types.ts';
import { commonCdcKeys, commonCrossKeyErrors, defineKeys, parseCommon, type CdcSettings } from '../debezium-common/cdc-config.ts';

export const PG_SNAPSHOT_MODES = ['initial', 'always', 'initial_only', 'no_data', 'never', 'when_needed'] as const;
export const PUBLICATION_AUTOCREATE_MODES = ['all_tables', 'disabled', 'filtered', 'no_tables'] as const;

export interface PgSettings extends CdcSettings {
  readonly dbname: string;
  readonly slotName: string;
  readonly publicationName: string;
  readonly publicationAutocreate: (typeof PUBLICATION_AUTOCREATE_MODES)[number];
  readonly schemaInclude: readonly string[];
  readonly schemaExclude: readonly string[];
  readonly sslMode: string;
  readonly statusUpdateIntervalMs: number;
  readonly snapshotFetchSize: number;
}

const identifier = (name: string, value: unknown) => {
  if (typeof value === 'string' && !/^[a-z0-9_]+$/.test(value)) {
    throw new Error(`Invalid value ${value} for configuration ${name}: Valid replication slot name must contain only digits, lowercase characters and underscores with length <= 63`);
  }
};

/** The connector's ConfigDef. */
export function pgConfigDef(): ConfigDef {
  return defineKeys(
    commonCdcKeys({ defaultPort: 5432, snapshotModes: PG_SNAPSHOT_MODES }),
    [
      { name: 'database.dbname', type: 'STRING', defaultValue: NO_DEFAULT, importance: 'HIGH', documentation: 'The name of the database to capture changes from.', validator: Validators.nonEmptyString(), group: 'Connection', orderInGroup: 10, width: 'MEDIUM', displayName: 'Database' },
      { name: 'database.sslmode', type: 'STRING', defaultValue: 'prefer', importance: 'MEDIUM', documentation: 'Whether to use TLS: `disable` and `prefer` connect in clear (prefer does not try TLS first here), `require` uses TLS without checking the certificate.', validator: Validators.in('disable', 'prefer', 'require'), validValues: '[disable, prefer, require]', group: 'Connection', orderInGroup: 11, width: 'MEDIUM', displayName: 'SSL mode' },
      { name: 'plugin.name', type: 'STRING', defaultValue: 'pgoutput', importance: 'MEDIUM', documentation: 'The logical decoding plugin. Only `pgoutput`, built into PostgreSQL 10 and later, is supported.', validator: (name, value) => { if (value !== 'pgoutput') throw new Error(`Invalid value ${String(value)} for configuration ${name}: only pgoutput is supported (decoderbufs needs a server extension this connector does not use)`); }, validValues: '[pgoutput]', group: 'Replication', orderInGroup: 1, width: 'MEDIUM', displayName: 'Plugin' },
      { name: 'slot.name', type: 'STRING', defaultValue: 'debezium', importance: 'MEDIUM', documentation: 'The name of the logical replication slot the connector streams from; one slot per connector.', validator: identifier, group: 'Replication', orderInGroup: 2, width: 'MEDIUM', displayName: 'Slot' },
      { name: 'publication.name', type: 'STRING', defaultValue: 'dbz_publication', importance: 'MEDIUM', documentation: 'The name of the PostgreSQL publication pgoutput streams.', validator: Validators.nonEmptyString(), group: 'Replication', orderInGroup: 3, width: 'MEDIUM', displayName: 'Publication' },
      { name: 'publication.autocreate.mode', type: 'STRING', defaultValue: 'all_tables', importance: 'MEDIUM', documentation: 'How the publication is created when missing: `all_tables` (FOR ALL TABLES), `filtered` (the captured tables, kept in step with the filters), `no_tables` (empty), `disabled` (it must exist).', validator: Validators.in(...PUBLICATION_AUTOCREATE_MODES), validValues: '[all_tables, disabled, filtered, no_tables]', group: 'Replication', orderInGroup: 4, width: 'MEDIUM', displayName: 'Publication Auto Create Mode' },
      { name: 'status.update.interval.ms', type: 'INT', defaultValue: 10_000, importance: 'LOW', documentation: 'How often, in ms, the connector reports its confirmed position to the server (it only ever confirms what Kafka has committed).', validator: Validators.atLeast(0), validValues: '[0,...]', group: 'Replication', orderInGroup: 5, width: 'MEDIUM', displayName: 'Status update interval (ms)' },
      { name: 'schema.include.list', type: 'LIST', defaultValue: null, importance: 'HIGH', documentation: 'Regular expressions matching schema names to capture. Cannot be used with `schema.exclude.list`.', group: 'Filters', orderInGroup: 10, width: 'MEDIUM', displayName: 'Include Schemas' },
      { name: 'schema.exclude.list', type: 'LIST', defaultValue: null, importance: 'MEDIUM', documentation: 'Regular expressions matching schema names not to capture.', group: 'Filters', orderInGroup: 11, width: 'MEDIUM', displayName: 'Exclude Schemas' },
      { name: 'snapshot.fetch.size', type: 'INT', defaultValue: 10_240, importance: 'MEDIUM', documentation: 'Rows read per round trip during a snapshot.', validator: Validators.atLeast(1), validValues: '[1,...]', group: 'Connector', orderInGroup: 20, width: 'MEDIUM', displayName: 'Snapshot fetch size' },
    ],
  );
}

export function parsePgSettings(props: Props): PgSettings {
  const def = pgConfigDef();
  const c = parseCommon(def, props);
  const p = c.parsed;
  const list = (k: string) => (Array.isArray(p[k]) ? (p[k] as string[]) : []);
  return {
    ...c,
    dbname: String(p['database.dbname']),
    slotName: String(p['slot.name']),
    publicationName: String(p['publication.name']),
    publicationAutocreate: String(p['publication.autocreate.mode']) as PgSettings['publicationAutocreate'],
    schemaInclude: list('schema.include.list'),
    schemaExclude: list('schema.exclude.list'),
    sslMode: String(p['database.sslmode']),
    statusUpdateIntervalMs: Number(p['status.update.interval.ms']),
    snapshotFetchSize: Number(p['snapshot.fetch.size']),
  };
}

export function pgCrossKeyErrors(props: Props): Record<string, string[]> {
  const errors = commonCrossKeyErrors(props);
  if ((props['schema.include.list'] ?? '').trim() && (props['schema.exclude.list'] ?? '').trim()) {
    errors['schema.exclude.list'] = ['"schema.include.list" is already specified; "schema.exclude.list" cannot be used together with it'];
  }
  return errors;
}
