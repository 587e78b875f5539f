/**
 * Topic tracking and creation for source tasks: remembers every topic a connector writes
 * to (GET /connectors/{name}/topics), and creates missing ones per `topic.creation.*`.
 */
import type { KafkaPort, NewTopic } from '../kafka/kafka-port.ts';
import type { StatusBackingStore } from '../store/store-ports.ts';
import type { ConnectorConfig } from '../store/store-model.ts';

interface CreationGroup {
  readonly name: string;
  readonly include: RegExp[];
  readonly exclude: RegExp[];
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly configs: Record<string, string>;
}

export class TopicCreator {
  private readonly known = new Set<string>();
  private readonly groups: CreationGroup[];

  constructor(
    private readonly kafka: KafkaPort,
    private readonly store: Pick<StatusBackingStore, 'addTopics'>,
    private readonly connector: string,
    config: ConnectorConfig,
  ) {
    this.groups = creationGroups(config);
  }

  /** Creates and records the topics not seen before by this task. */
  async ensure(topics: readonly string[]): Promise<void> {
    const fresh = [...new Set(topics)].filter((t) => !this.known.has(t));
    if (fresh.length === 0) return;
    if (this.groups.length) {
      const specs = fresh.map((t) => specFor(t, this.groups)).filter((s): s is NewTopic => s !== undefined);
      if (specs.length) {
        const admin = await this.kafka.admin();
        try {
          await admin.createTopics(specs);
        } finally {
          await admin.close();
        }
      }
    }
    await this.store.addTopics(this.connector, fresh);
    fresh.forEach((t) => this.known.add(t));
  }
}

/** The `default` group applies when `topic.creation.default.*` is set; named groups come first. */
export function creationGroups(config: ConnectorConfig): CreationGroup[] {
  if (config['topic.creation.enable'] === 'false') return [];
  const names = (config['topic.creation.groups'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const out: CreationGroup[] = [];
  for (const name of [...names, 'default']) {
    const p = `topic.creation.${name}.`;
    const rf = config[`${p}replication.factor`];
    const partitions = config[`${p}partitions`];
    if (name === 'default' && rf === undefined && partitions === undefined) continue;
    const configs: Record<string, string> = {};
    for (const [k, v] of Object.entries(config)) {
      if (k.startsWith(p) && !['replication.factor', 'partitions', 'include', 'exclude'].includes(k.slice(p.length))) configs[k.slice(p.length)] = v;
    }
    const list = (k: string) => (config[`${p}${k}`] ?? '').split(',').map((s) => s.trim()).filter(Boolean).map((r) => new RegExp(`^(?:${r})$`));
    out.push({
      name,
      include: name === 'default' ? [/.*/] : list('include'),
      exclude: list('exclude'),
      partitions: partitions === undefined ? -1 : Number(partitions),
      replicationFactor: rf === undefined ? -1 : Number(rf),
      configs,
    });
  }
  return out;
}

function specFor(topic: string, groups: readonly CreationGroup[]): NewTopic | undefined {
  const g = groups.find((x) => x.include.some((r) => r.test(topic)) && !x.exclude.some((r) => r.test(topic)));
  return g ? { topic, numPartitions: g.partitions, replicationFactor: g.replicationFactor, configs: g.configs } : undefined;
}
