/**
 * Reading and altering a connector's offsets (GET / PATCH / DELETE /connectors/{name}/offsets):
 * source offsets in the offsets topic, sink offsets as group `connect-<name>`'s commits.
 * Changes need the connector STOPPED, as in Connect, so no task commits over them.
 */
import type { AdminPort, KafkaPort } from '../kafka/kafka-port.ts';
import type { PluginRegistry } from '../plugins/plugin-registry.ts';
import type { Connector } from '../plugins/plugin-types.ts';
import { sinkGroupId, subscribedTopics } from '../runtime/sink-task-worker.ts';
import { DEFAULT_OFFSETS_TOPIC, SourceOffsetStore } from '../runtime/source-offset-store.ts';
import type { ConfigBackingStore, OffsetBackingStore, TaskLeaseStore } from '../store/store-ports.ts';
import type { ConnectorRecord } from '../store/store-model.ts';
import { BadRequestError, ConflictError, NotFoundError } from './control-errors.ts';

export interface OffsetEntry {
  readonly partition: Record<string, unknown> | null;
  /** Null (or absent) resets the partition. */
  readonly offset: Record<string, unknown> | null;
}

const ALTERED = 'The offsets for this connector have been altered successfully';
const RESET = 'The offsets for this connector have been reset successfully';
const SOURCE_ALTERED =
  'The Connect framework-managed offsets for this connector have been altered successfully. However, if this connector manages offsets externally, they will need to be manually altered in the system that the connector uses.';
const SOURCE_RESET =
  'The Connect framework-managed offsets for this connector have been reset successfully. However, if this connector manages offsets externally, they will need to be manually reset in the system that the connector uses.';

/** Kafka's "no committed offset": a consumer of the group starts from its reset policy, as after Connect's offset delete. */
const NO_OFFSET = -1;

/** How long a change waits for runners of a just-stopped connector to finish their last commit. */
const SETTLE_MS = 30_000;
/** What Kafka answers while the group has members: a runner's commit joins it for a moment. */
const GROUP_BUSY = /no running instances|not empty|NON_EMPTY_GROUP|REBALANCE_IN_PROGRESS/i;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs a Kafka operation again while it fails retriably (a topic just created has no leaders yet). */
async function retriably<T>(op: () => Promise<T>, budgetMs = 15_000): Promise<T> {
  const deadline = Date.now() + budgetMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await op();
    } catch (e) {
      if ((e as { retriable?: boolean }).retriable !== true || Date.now() >= deadline) throw e;
      await sleep(Math.min(1000, 100 * 2 ** attempt));
    }
  }
}


interface SinkOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number | null;
}

export class OffsetsService {
  constructor(private readonly deps: { store: Pick<ConfigBackingStore, 'getConnector' | 'getState'> & TaskLeaseStore & OffsetBackingStore; kafka: KafkaPort; registry?: PluginRegistry }) {}

  async get(name: string): Promise<{ offsets: OffsetEntry[] }> {
    const c = await this.connector(name);
    if (c.type === 'sink') {
      return this.withAdmin(async (admin) => {
        const topics = await this.sinkTopics(c, admin);
        const committed = topics.length ? await admin.committedOffsets(sinkGroupId(name), topics) : [];
        return {
          offsets: committed
            .filter((o) => o.offset >= 0)
            .map((o) => ({ partition: { kafka_topic: o.topic, kafka_partition: o.partition }, offset: { kafka_offset: o.offset } })),
        };
      });
    }
    const store = await this.sourceStore(c);
    return { offsets: store.all().map((e) => ({ partition: { ...e.partition }, offset: { ...e.offset } })) };
  }

  async alter(name: string, offsets: readonly OffsetEntry[]): Promise<{ message: string }> {
    if (offsets.length === 0) throw new BadRequestError('Partitions / offsets need to be provided for an alter offsets request');
    // Everything is checked before the runners are fenced: a refused request writes nothing.
    const c = await this.stopped(name, { fence: false });
    if (c.type === 'sink') {
      const parsed = offsets.map(sinkOffset);
      await this.askConnector(c, parsed.map((o) => ({ partition: { kafka_topic: o.topic, kafka_partition: o.partition }, offset: o.offset === null ? null : { kafka_offset: o.offset } })));
      await this.withAdmin(async (admin) => {
        for (const topic of new Set(parsed.map((o) => o.topic))) {
          const partitions = new Set(await admin.partitions(topic).catch(() => [] as number[]));
          const missing = parsed.find((o) => o.topic === topic && !partitions.has(o.partition));
          if (missing) throw new BadRequestError(`Failed to alter consumer group offsets for connector ${name}: topic partition ${missing.topic}-${missing.partition} does not exist`);
        }
        await this.fenceRunners(name);
        await this.whenGroupIdle(name, () => admin.commitOffsets(sinkGroupId(name), parsed.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset ?? NO_OFFSET }))));
      });
      return { message: ALTERED };
    }
    const entries = offsets.map(sourceOffset);
    const managed = await this.askConnector(c, entries);
    await this.fenceRunners(name);
    await this.writeSource(c, entries);
    return { message: managed ? ALTERED : SOURCE_ALTERED };
  }

  async reset(name: string): Promise<{ message: string }> {
    const c = await this.stopped(name);
    if (c.type === 'sink') {
      await this.withAdmin((admin) => this.whenGroupIdle(name, () => admin.deleteGroup(sinkGroupId(name))));
      return { message: RESET };
    }
    const store = await this.sourceStore(c);
    const entries = store.all().map((e) => ({ partition: e.partition, offset: null }));
    const managed = await this.askConnector(c, entries);
    await this.writeSource(c, entries, store);
    return { message: managed ? RESET : SOURCE_RESET };
  }

  /** Lets the connector check (and learn of) the change first, as Connect does; its objection is a 400. */
  private async askConnector(c: ConnectorRecord, offsets: readonly { partition: Record<string, unknown>; offset: Record<string, unknown> | null }[]): Promise<boolean> {
    const cls = c.config['connector.class'];
    const d = cls ? this.deps.registry?.find(cls, ['source', 'sink']) : undefined;
    // The hook may reject offsets (a 400); true shortens the answer's message, as in Connect.
    const connector = d?.create() as Connector | undefined;
    if (!connector?.alterOffsets) return false;
    try {
      return (await connector.alterOffsets(c.config, offsets)) === true;
    } catch (e) {
      throw new BadRequestError((e as Error).message, { cause: e });
    }
  }

  /**
   * Runs a change to group `connect-<name>` once no runner is in it. Stopping is asynchronous:
   * a runner may still be making its last commit (which joins the group briefly), so the
   * change is retried for a while, then answered with a 409 to try again.
   */
  private async whenGroupIdle(name: string, change: () => Promise<void>): Promise<void> {
    const deadline = Date.now() + SETTLE_MS;
    for (;;) {
      try {
        return await change();
      } catch (e) {
        if (!GROUP_BUSY.test(errorText(e))) throw e;
        if (Date.now() >= deadline) throw new ConflictError(`The offsets of connector ${name} cannot be changed while its tasks are still committing; try again`, { cause: e });
        await sleep(500);
      }
    }
  }

  /**
   * Fences every runner of a stopped connector: new lease epochs with no owner, so one that
   * has not yet reached its pre-commit check can no longer commit over the change.
   */
  private async fenceRunners(name: string): Promise<void> {
    const s = await this.deps.store.getState(name);
    for (const task of s?.leases.keys() ?? []) await this.deps.store.claimLease(name, task, null);
  }

  private async withAdmin<T>(work: (admin: AdminPort) => Promise<T>): Promise<T> {
    const admin = await this.deps.kafka.admin();
    try {
      return await work(admin);
    } finally {
      await admin.close();
    }
  }

  private async writeSource(c: ConnectorRecord, offsets: readonly { partition: Record<string, unknown>; offset: Record<string, unknown> | null }[], loaded?: SourceOffsetStore): Promise<void> {
    const store = loaded ?? (await this.sourceStore(c));
    await retriably(async () => {
      const producer = await this.deps.kafka.producer();
      try {
        await store.write((r) => producer.send(r), offsets);
      } finally {
        await producer.close();
      }
    });
  }

  private async sourceStore(c: ConnectorRecord): Promise<SourceOffsetStore> {
    const topic = c.config['offsets.storage.topic'] || DEFAULT_OFFSETS_TOPIC;
    return retriably(async () => {
      await SourceOffsetStore.ensureTopic(this.deps.kafka, topic);
      const store = new SourceOffsetStore(this.deps, c.name, topic, 'api');
      await store.load();
      return store;
    });
  }

  private async sinkTopics(c: ConnectorRecord, admin: AdminPort): Promise<string[]> {
    const existing = await admin.listTopics();
    const known = new Set(existing);
    return subscribedTopics(c.config, existing).filter((t) => known.has(t));
  }

  private async connector(name: string): Promise<ConnectorRecord> {
    const c = await this.deps.store.getConnector(name);
    if (!c) throw new NotFoundError(`Connector ${name} not found`);
    return c;
  }

  private async stopped(name: string, opts: { fence: boolean } = { fence: true }): Promise<ConnectorRecord> {
    const c = await this.connector(name);
    if (c.targetState !== 'STOPPED') {
      throw new BadRequestError(
        `Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/${name}/stop' endpoint`,
      );
    }
    if (opts.fence) await this.fenceRunners(name);
    return c;
  }
}

function errorText(e: unknown): string {
  const groups = (e as { groups?: unknown }).groups;
  return `${(e as Error).message ?? ''} ${(e as { type?: string }).type ?? ''} ${groups ? JSON.stringify(groups) : ''}`;
}

/** An integer from a JSON number or numeric string, as Connect parses sink partitions and offsets. */
function integer(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim()) && Number.isSafeInteger(Number(v))) return Number(v);
  return undefined;
}

function sinkOffset(o: OffsetEntry): SinkOffset {
  const p = o.partition;
  if (p === null || p === undefined) throw new BadRequestError('The partition for a sink connector offset cannot be null or missing');
  if (!('kafka_topic' in p) || !('kafka_partition' in p)) throw new BadRequestError("The partition for a sink connector offset must contain the keys 'kafka_topic' and 'kafka_partition'");
  const topic = p.kafka_topic;
  if (typeof topic !== 'string' || topic.trim() === '') throw new BadRequestError(`Kafka topic names in the provided offsets must be non-empty strings, got: '${String(topic)}'`);
  const partition = integer(p.kafka_partition);
  if (partition === undefined || partition < 0) {
    throw new BadRequestError(`Failed to parse the following Kafka partition value in the provided offsets: '${String(p.kafka_partition)}'. Partition values for sink connectors need to be integers.`);
  }
  if (o.offset === null || o.offset === undefined) return { topic, partition, offset: null };
  if (!('kafka_offset' in o.offset)) throw new BadRequestError("The offset for a sink connector should either be null or contain the key 'kafka_offset'");
  const offset = integer(o.offset.kafka_offset);
  if (offset === undefined || offset < 0) {
    throw new BadRequestError(`Failed to parse the following Kafka offset value in the provided offsets: '${String(o.offset.kafka_offset)}'. Offset values for sink connectors need to be non-negative integers.`);
  }
  return { topic, partition, offset };
}

function primitivesOnly(what: string, map: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(map)) {
    if (v !== null && typeof v === 'object') throw new BadRequestError(`${what} may only contain primitive types as values, but field ${k} contains ${Array.isArray(v) ? 'ARRAY' : 'MAP'}`);
  }
}

function sourceOffset(o: OffsetEntry): { partition: Record<string, unknown>; offset: Record<string, unknown> | null } {
  if (o.partition === null || o.partition === undefined) throw new BadRequestError('The partition for a source connector offset cannot be null or missing');
  primitivesOnly('Partitions', o.partition);
  if (o.offset !== null && o.offset !== undefined) primitivesOnly('Offsets', o.offset);
  return { partition: o.partition, offset: o.offset ?? null };
}
