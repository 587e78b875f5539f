/** Debezium's PostgreSQL change data capture connector, under Debezium's class name. */
import type { PluginDescriptor } from '../../plugins/plugin-types.ts';
import { PG_CONNECTOR_CLASS, PostgresConnector } from './pg-connector.ts';
import { PG_CONNECTOR_VERSION } from './pg-version.ts';

export const debeziumPostgresPlugin: PluginDescriptor<PostgresConnector> = {
  className: PG_CONNECTOR_CLASS,
  aliases: ['PostgresConnector'],
  type: 'source',
  version: PG_CONNECTOR_VERSION,
  create: () => new PostgresConnector(),
};

export { PostgresConnector, PG_CONNECTOR_CLASS } from './pg-connector.ts';
export { pgConfigDef } from './pg-config.ts';
