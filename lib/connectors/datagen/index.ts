/**
 * The Datagen mock-data source connector, registered under Confluent's class name.
 */
import type { PluginDescriptor } from '../../plugins/plugin-types.ts';
import { DATAGEN_CLASS, DatagenConnector } from './datagen-connector.ts';
import { DATAGEN_VERSION } from './datagen-version.ts';

export const datagenPlugin: PluginDescriptor<DatagenConnector> = {
  className: DATAGEN_CLASS,
  aliases: ['Datagen', 'DatagenConnector'],
  type: 'source',
  version: DATAGEN_VERSION,
  create: () => new DatagenConnector(),
};

export const datagenPlugins: PluginDescriptor[] = [datagenPlugin];

export { DatagenConnector, DATAGEN_CLASS } from './datagen-connector.ts';
export { DatagenTask } from './datagen-task.ts';
export { datagenConfigDef } from './datagen-config.ts';
export { compileJsonSchema } from './datagen-schema.ts';
export { QUICKSTARTS } from './quickstart-schemas.ts';
export * from './errors.ts';
