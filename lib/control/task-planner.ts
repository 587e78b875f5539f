/**
 * Task planning: starts the connector with its config, asks it for at most `tasks.max`
 * task configs, and stops it, as a Connect worker does when a connector starts. Secrets
 * resolved for planning are put back as placeholders before anything is stored.
 */
import { resolveConfig, unresolve } from '../config/config-providers.ts';
import type { Connector, PluginDescriptor } from '../plugins/plugin-types.ts';
import type { ConnectorConfig } from '../store/store-model.ts';
import { BadRequestError } from './control-errors.ts';

export async function planTasks(descriptor: PluginDescriptor, config: ConnectorConfig): Promise<ConnectorConfig[]> {
  const resolved = await resolveConfig(config);
  const connector = descriptor.create() as Connector;
  const maxTasks = Math.max(1, Number(config['tasks.max'] ?? 1));
  try {
    await connector.start(resolved, {
      requestTaskReconfiguration: () => {},
      raiseError: (e) => {
        throw e;
      },
    });
    const tasks = await connector.taskConfigs(maxTasks);
    if (tasks.length > maxTasks && config['tasks.max.enforce'] !== 'false') {
      throw new BadRequestError(`The connector ${config.name} has generated ${tasks.length} tasks, which is greater than ${maxTasks}, the maximum number of tasks it is configured to create.`);
    }
    return tasks.map((t) => unresolve(t, config, resolved));
  } finally {
    await connector.stop();
  }
}
