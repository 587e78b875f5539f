/**
 * The plugin SDK, as a package export (`tributary/plugins`): the interfaces a custom connector,
 * converter or transform implements, Connect's data model, and config definitions.
 */
export type * from './plugin-types.ts';
export * from './connect-record.ts';
export * from './connect-schema.ts';
export * from '../config/config-def.ts';
