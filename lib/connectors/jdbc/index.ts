/**
 * The JDBC source and sink connectors for PostgreSQL, MySQL and MariaDB, registered under
 * Confluent's class names so existing Kafka Connect configs work unchanged.
 */
import type { PluginDescriptor } from '../../plugins/plugin-types.ts';
import { JDBC_SINK_CLASS, JdbcSinkConnector } from './jdbc-sink-connector.ts';
import { JDBC_SOURCE_CLASS, JdbcSourceConnector } from './jdbc-source-connector.ts';
import { JDBC_CONNECTOR_VERSION } from './jdbc-version.ts';

export const jdbcSourcePlugin: PluginDescriptor<JdbcSourceConnector> = {
  className: JDBC_SOURCE_CLASS,
  aliases: ['JdbcSource', 'JdbcSourceConnector'],
  type: 'source',
  version: JDBC_CONNECTOR_VERSION,
  create: () => new JdbcSourceConnector(),
};

export const jdbcSinkPlugin: PluginDescriptor<JdbcSinkConnector> = {
  className: JDBC_SINK_CLASS,
  aliases: ['JdbcSink', 'JdbcSinkConnector'],
  type: 'sink',
  version: JDBC_CONNECTOR_VERSION,
  create: () => new JdbcSinkConnector(),
};

export const jdbcPlugins: PluginDescriptor[] = [jdbcSourcePlugin, jdbcSinkPlugin];

export { JdbcSourceConnector, JDBC_SOURCE_CLASS } from './jdbc-source-connector.ts';
export { JdbcSourceTask } from './jdbc-source-task.ts';
export { JdbcSinkConnector, JDBC_SINK_CLASS } from './jdbc-sink-connector.ts';
export { JdbcSinkTask } from './jdbc-sink-task.ts';
export { jdbcSourceConfigDef } from './jdbc-source-config.ts';
export { jdbcSinkConfigDef } from './jdbc-sink-config.ts';
export { parseJdbcUrl, redactJdbcUrl } from './jdbc-url-parser.ts';
export * from './errors.ts';
