/** Version reported for the RabbitMQ connectors (Connect's `version()`). */
export const RABBITMQ_CONNECTOR_VERSION = '1.0.0';
