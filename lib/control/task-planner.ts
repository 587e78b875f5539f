/**
 * Task planning: starts the connector with its config, asks it for at most `tasks.max`
 * task configs, and stops it, as a Connect worker does when a connector starts. Like
 * Connect's worker, it adds `task.class` to each task config. Secrets resolved for planning
 * are put back as placeholders before anything is stored.
 */
import { ConfigResolver, unresolve } from '../config/config-providers.ts';
import type { Connector, PluginDescriptor } from '../plugins/plugin-types.ts';
import type { ConnectorConfig } from '../store/store-model.ts';
import { BadRequestError } from './control-errors.ts';

/** Plans a connector's tasks; `resolver` is the request's, so secrets validation fetched are not fetched again. */
export async function planTasks(descriptor: PluginDescriptor, config: ConnectorConfig, resolver = new ConfigResolver()): Promise<ConnectorConfig[]> {
  const resolved = await resolver.resolve(config);
  const connector = descriptor.create() as Connector;
  const parsed = Number.parseInt(config['tasks.max'] ?? '1', 10);
  const maxTasks = Number.isFinite(parsed) && parsed > 0 ? parsed : 1;
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
    // As Connect's worker: every task config names its task class, and a sink's carries the connector's topics.
    const framework: Record<string, string> = {};
    const taskClass = taskClassName(descriptor, connector);
    if (taskClass) framework['task.class'] = taskClass;
    if (descriptor.type === 'sink') {
      for (const key of ['topics', 'topics.regex']) if (config[key] !== undefined) framework[key] = config[key] as string;
    }
    return tasks.map((t) => ({ ...unresolve(t, config, resolved), ...framework }));
  } finally {
    await connector.stop();
  }
}

/** The task's class name in the connector's package, as Connect's `task.class` (e.g. org.apache.kafka.connect.file.FileStreamSourceTask). */
function taskClassName(descriptor: PluginDescriptor, connector: Connector): string | undefined {
  const simple = (connector.createTask() as object).constructor.name;
  if (!simple || simple === 'Object') return undefined;
  const pkg = descriptor.className.includes('.') ? descriptor.className.slice(0, descriptor.className.lastIndexOf('.') + 1) : '';
  return pkg + simple;
}
