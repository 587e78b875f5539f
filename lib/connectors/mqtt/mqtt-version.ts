/** Version reported for the MQTT connectors (Connect's `version()`). */
export const MQTT_CONNECTOR_VERSION = '1.0.0';
