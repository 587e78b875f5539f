/** The version the Datagen connector reports (GET /connector-plugins). */
export const DATAGEN_VERSION = '0.1.0';
