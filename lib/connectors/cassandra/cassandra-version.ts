/** Version reported for the Cassandra sink (Connect's `version()`). */
export const CASSANDRA_SINK_VERSION = '1.0.0';
