/**
 * An example custom connector package. A package exports `plugins`, a list of plugin
 * descriptors; name it in TRIBUTARY_PLUGINS (locally) or bundle it into the runners (AWS)
 * and its connectors can be created like the built-in ones. See docs/plugins.md.
 */
import { ConfigDef, Validators } from '../../lib/config/config-def.ts';
import { Schemas } from '../../lib/plugins/connect-schema.ts';
import type { SourceRecord } from '../../lib/plugins/connect-record.ts';
import type { PluginDescriptor, Props, SourceConnector, SourceTask, SourceTaskContext } from '../../lib/plugins/plugin-types.ts';

const VERSION = '1.0.0';

const configDef = new ConfigDef()
  .define({ name: 'topic', type: 'STRING', importance: 'HIGH', documentation: 'Topic to write the numbers to.' })
  .define({ name: 'count.max', type: 'LONG', defaultValue: -1, importance: 'MEDIUM', documentation: 'Stop after this many numbers; -1 counts forever.' })
  .define({ name: 'batch.size', type: 'INT', defaultValue: 100, importance: 'LOW', documentation: 'Numbers per poll.', validator: Validators.atLeast(1) });

class CounterTask implements SourceTask {
  private next = 0;
  private max = -1;
  private batch = 100;
  private topic = '';
  private readonly partition = { counter: 'main' };

  version(): string {
    return VERSION;
  }

  async start(props: Props, context: SourceTaskContext): Promise<void> {
    const cfg = configDef.parse(props);
    this.topic = String(cfg.topic);
    this.max = Number(cfg['count.max']);
    this.batch = Number(cfg['batch.size']);
    // Resume after the last committed number.
    const committed = await context.offsetStorageReader().offset(this.partition);
    this.next = typeof committed?.next === 'number' ? committed.next : 0;
  }

  poll(): SourceRecord[] | null {
    const records: SourceRecord[] = [];
    while (records.length < this.batch && (this.max < 0 || this.next < this.max)) {
      const n = this.next++;
      records.push({ topic: this.topic, sourcePartition: this.partition, sourceOffset: { next: this.next }, valueSchema: Schemas.INT64, value: n });
    }
    return records.length ? records : null;
  }

  stop(): void {}
}

class CounterConnector implements SourceConnector {
  readonly type = 'source';
  private props: Props = {};

  version(): string {
    return VERSION;
  }
  start(props: Props): void {
    configDef.parse(props);
    this.props = props;
  }
  taskConfigs(): Props[] {
    return [{ ...this.props }];
  }
  stop(): void {}
  config(): ConfigDef {
    return configDef;
  }
  createTask(): SourceTask {
    return new CounterTask();
  }
}

export const plugins: PluginDescriptor[] = [
  { className: 'com.example.CounterSourceConnector', aliases: ['Counter'], type: 'source', version: VERSION, create: () => new CounterConnector() },
];
