/**
 * A test-only source connector with a PASSWORD key, registered next to the built-ins, for
 * checking that secrets never leave the API in clear.
 */
import { ConfigDef, ConfigError } from '../../../lib/config/config-def.ts';
import { fileStreamPlugins } from '../../../lib/connectors/file-stream/index.ts';
import { builtinConverters } from '../../../lib/converters/index.ts';
import { PluginRegistry } from '../../../lib/plugins/plugin-registry.ts';
import type { PluginDescriptor, Props, SourceConnector, SourceTask } from '../../../lib/plugins/plugin-types.ts';
import { builtinTransforms } from '../../../lib/transforms/index.ts';

export const SECRET_CONNECTOR = 'com.example.SecretSourceConnector';

const def = new ConfigDef()
  .define({ name: 'db.user', type: 'STRING', importance: 'HIGH', documentation: 'User name.' })
  .define({
    name: 'db.password',
    type: 'PASSWORD',
    importance: 'HIGH',
    documentation: 'Password.',
    validator: (name, value) => {
      if (typeof value === 'string' && value.startsWith('short')) throw new ConfigError(`Invalid value ${value} for configuration ${name}: too weak`, name);
    },
  })
  .define({ name: 'topic', type: 'STRING', defaultValue: 'secrets', importance: 'LOW', documentation: 'Topic.' });

class SecretSourceConnector implements SourceConnector {
  readonly type = 'source';
  private props: Props = {};
  version(): string {
    return '1.0.0';
  }
  start(props: Props): void {
    this.props = props;
  }
  /** Task configs carry the password, as JDBC-style connectors' do. */
  taskConfigs(maxTasks: number): Props[] {
    return Array.from({ length: maxTasks }, () => ({ 'db.user': this.props['db.user'] ?? '', 'db.password': this.props['db.password'] ?? '', topic: this.props.topic ?? 'secrets' }));
  }
  stop(): void {}
  config(): ConfigDef {
    return def;
  }
  createTask(): SourceTask {
    return {
      version: () => '1.0.0',
      start: () => {},
      poll: () => null,
      stop: () => {},
    };
  }
}

export const secretPlugin: PluginDescriptor = { className: SECRET_CONNECTOR, type: 'source', version: '1.0.0', create: () => new SecretSourceConnector() };

/** The built-in plugins plus the secret connector. */
export function testRegistry(): PluginRegistry {
  return new PluginRegistry().register(...fileStreamPlugins, ...builtinConverters, ...builtinTransforms, secretPlugin);
}
