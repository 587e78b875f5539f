/** The version the S3 sink reports (the Confluent release whose keys and naming it follows). */
export const S3_CONNECTOR_VERSION = '10.6.0';
