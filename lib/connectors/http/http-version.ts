/** Version reported for the HTTP sink (Connect's `version()`). */
export const HTTP_SINK_VERSION = '1.0.0';
