/** The version the SQS connectors report (the Nordstrom kafka-connect-sqs release whose keys they take). */
export const SQS_CONNECTOR_VERSION = '1.6.0';
