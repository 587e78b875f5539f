/** The version the Debezium-compatible MySQL/MariaDB connectors report. */
export const MY_CONNECTOR_VERSION = '0.1.0';
