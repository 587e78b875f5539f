/** Debezium's MySQL and MariaDB change data capture connectors, under Debezium's class names. */
import type { PluginDescriptor } from '../../plugins/plugin-types.ts';
import { MARIADB_CONNECTOR_CLASS, MYSQL_CONNECTOR_CLASS, MySqlConnector } from './my-connector.ts';
import { MY_CONNECTOR_VERSION } from './my-version.ts';

export const debeziumMySqlPlugins: PluginDescriptor<MySqlConnector>[] = [
  { className: MYSQL_CONNECTOR_CLASS, aliases: ['MySqlConnector'], type: 'source', version: MY_CONNECTOR_VERSION, create: () => new MySqlConnector('mysql') },
  { className: MARIADB_CONNECTOR_CLASS, aliases: ['MariaDbConnector'], type: 'source', version: MY_CONNECTOR_VERSION, create: () => new MySqlConnector('mariadb') },
];

export { MySqlConnector, MYSQL_CONNECTOR_CLASS, MARIADB_CONNECTOR_CLASS } from './my-connector.ts';
export { myConfigDef } from './my-config.ts';
