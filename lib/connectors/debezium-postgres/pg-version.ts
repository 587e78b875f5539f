/** The version the Debezium-compatible connectors report (GET /connector-plugins). */
export const PG_CONNECTOR_VERSION = '0.1.0';
