/**
 * Producers on @platformatic/kafka: idempotent (acks=all) or transactional. Partitions are
 * chosen here, as Java's client chooses them (murmur2 of the key, positive, modulo the
 * partition count), so each record's written offset follows from its partition's base offset.
 */
import { murmur2, Producer, type MessageToProduce } from '@platformatic/kafka';
import { KafkaPortError, type OutgoingRecord, type ProducerPort, type WrittenRecord } from './kafka-port.ts';
import { IdempotentSender, type PartitionBatch } from './idempotent-sender.ts';
import { baseClientOptions, hasKafkaError, portError, type KafkaClientOptions } from './platformatic-client-options.ts';

/**
 * Bytes of one partition's records per produce request. The broker refuses a record batch over
 * message.max.bytes (1 MiB by default), and the client writes one batch per partition and request.
 */
const MAX_PARTITION_BYTES = 1_000_000;
/** Bytes per produce request over all partitions, to bound memory and a request's latency. */
const MAX_REQUEST_BYTES = 8 * 1024 * 1024;
/** Upper bound of a record's framing in a batch (length, attributes, deltas, varint lengths). */
const RECORD_OVERHEAD = 24;

/** Writes one request's records, each to its partition; answers each partition's base offset. */
type Send = (records: readonly OutgoingRecord[], partitions: readonly number[]) => Promise<{ offsets?: { topic: string; partition: number; offset: bigint }[] }>;
type Transaction = Awaited<ReturnType<Producer['beginTransaction']>>;

export class PlatformaticProducer implements ProducerPort {
  /** Sends run one after another: the idempotent producer allows one request in flight. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Null-key records of one send go to one partition, the next send's to the next (Java's sticky partitioning). */
  private readonly sticky = new Map<string, number>();
  /** Set once Kafka fenced this producer: a newer one holds its transactional id, so it must never act again. */
  private fencedBy: KafkaPortError | undefined;
  /** Idempotent sends outside transactions go through Tributary's batch encoder. */
  private readonly sender: IdempotentSender;

  private constructor(
    private readonly producer: Producer,
    private readonly transactional: boolean,
  ) {
    this.sender = new IdempotentSender(producer);
  }

  static async create(options: KafkaClientOptions, opts: { transactionalId?: string; idempotent?: boolean }): Promise<PlatformaticProducer> {
    const transactional = Boolean(opts.transactionalId);
    const idempotent = transactional || (opts.idempotent ?? true);
    const producer = new Producer({
      ...baseClientOptions(options),
      idempotent,
      acks: -1,
      autocreateTopics: true,
      // A new producer id, not a claim on a known one: with the library's default (id 0, epoch 0)
      // a restarted task reusing its transactional id is answered PRODUCER_FENCED.
      ...(idempotent ? { producerId: -1n, producerEpoch: -1 } : {}),
      // The transaction timeout too: a crashed runner's open transaction blocks read_committed readers this long at most.
      ...(transactional ? { transactionalId: opts.transactionalId, timeout: 60_000 } : {}),
    });
    const port = new PlatformaticProducer(producer, transactional);
    if (transactional) {
      // Java's initTransactions(): register the transactional id now, which fences an older
      // producer holding it and aborts its open transaction before this task sends anything.
      try {
        const tx = await producer.beginTransaction();
        await tx.cancel();
      } catch (e) {
        await producer.close(true).catch(() => {});
        throw portError('Starting the transactional producer failed', e);
      }
    }
    return port;
  }

  send(records: readonly OutgoingRecord[]): Promise<WrittenRecord[]> {
    // A transactional producer writes nothing outside a transaction (Java refuses it too).
    if (this.transactional) return this.inTransaction((send) => send(records));
    return this.serially(() => this.sendAll(records, (chunk, partitions) => this.sendIdempotent(chunk, partitions)));
  }

  inTransaction<T>(work: (send: (records: readonly OutgoingRecord[]) => Promise<WrittenRecord[]>) => Promise<T>): Promise<T> {
    if (!this.transactional) return Promise.reject(new KafkaPortError('inTransaction needs a transactional producer', false));
    return this.serially(async () => {
      let tx: Transaction;
      try {
        tx = await this.producer.beginTransaction();
      } catch (e) {
        throw this.failed('Beginning a Kafka transaction failed', e);
      }
      try {
        const result = await work((records) => this.sendAll(records, (chunk, partitions) => tx.send({ messages: chunk.map((r, j) => toMessage(r, partitions[j] as number)) })));
        await tx.commit();
        return result;
      } catch (e) {
        if (!tx.completed) await tx.abort().catch(() => tx.cancel().catch(() => {}));
        throw this.failed('Kafka transaction failed', e);
      }
    });
  }

  async close(): Promise<void> {
    await this.queue.catch(() => {});
    await this.producer.close(true);
  }

  private serially<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(() => {
      if (this.fencedBy) throw this.fencedBy;
      return op();
    });
    this.queue = run.catch(() => {});
    return run;
  }

  /** The port's error; a fencing error also retires this producer for good. */
  private failed(what: string, e: unknown): KafkaPortError {
    const err = portError(what, e);
    if (hasKafkaError(e, 'PRODUCER_FENCED') || hasKafkaError(e, 'INVALID_PRODUCER_EPOCH') || hasKafkaError(e, 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED')) {
      this.fencedBy = new KafkaPortError(`Fenced by a newer producer with the same transactional id: ${err.message}`, false, { cause: e });
      return this.fencedBy;
    }
    return err;
  }

  /** Sends records in requests the broker accepts and maps each to its partition and offset. */
  private async sendAll(records: readonly OutgoingRecord[], send: Send): Promise<WrittenRecord[]> {
    if (records.length === 0) return [];
    const counts = await this.partitionCounts(records);
    const out: WrittenRecord[] = new Array(records.length);
    let chunk: OutgoingRecord[] = [];
    let partitions: number[] = [];
    let first = 0;
    let requestBytes = 0;
    // Bytes per partition in the current request, by topic (most sends have one topic, so the
    // current topic's entry is kept at hand rather than looked up for every record).
    let partitionBytes = new Map<string, number[]>();
    let topic: string | undefined;
    let count = 1;
    let bytes: number[] = [];
    /** Topics with records of no key and no partition: their sticky partition moves on after this send. */
    const sticky = new Set<string>();
    for (let i = 0; i < records.length; i++) {
      const r = records[i] as OutgoingRecord;
      if (r.topic !== topic) {
        topic = r.topic;
        count = counts.get(topic) ?? 1;
        let b = partitionBytes.get(topic);
        if (!b) partitionBytes.set(topic, (b = []));
        bytes = b;
      }
      if (!r.key && r.partition === undefined) sticky.add(topic);
      const partition = this.partitionOf(r, count);
      const size = recordSize(r);
      const used = bytes[partition] ?? 0;
      if (chunk.length > 0 && (used + size > MAX_PARTITION_BYTES || requestBytes + size > MAX_REQUEST_BYTES)) {
        await this.sendChunk(send, chunk, partitions, first, out);
        chunk = [];
        partitions = [];
        first = i;
        requestBytes = 0;
        partitionBytes = new Map([[topic, (bytes = [])]]);
      }
      bytes[partition] = (bytes[partition] ?? 0) + size;
      requestBytes += size;
      chunk.push(r);
      partitions.push(partition);
    }
    await this.sendChunk(send, chunk, partitions, first, out);
    for (const t of sticky) this.sticky.set(t, (this.sticky.get(t) ?? 0) + 1);
    return out;
  }

  private async sendChunk(send: Send, chunk: readonly OutgoingRecord[], partitions: readonly number[], first: number, out: WrittenRecord[]): Promise<void> {
    let result;
    try {
      result = await send(chunk, partitions);
    } catch (e) {
      throw this.failed('Producing to Kafka failed', e);
    }
    const next = new Map<string, number[]>();
    for (const o of result.offsets ?? []) {
      let offsets = next.get(o.topic);
      if (!offsets) next.set(o.topic, (offsets = []));
      offsets[o.partition] = Number(o.offset);
    }
    // Within a partition, records keep their order, so offsets follow from the base offset.
    for (let j = 0; j < chunk.length; j++) {
      const topic = (chunk[j] as OutgoingRecord).topic;
      const partition = partitions[j] as number;
      const offsets = next.get(topic);
      const offset = offsets?.[partition] ?? -1;
      if (offsets && offset >= 0) offsets[partition] = offset + 1;
      out[first + j] = { topic, partition, offset };
    }
  }

  /** One request's records as one batch per partition, in their order. */
  private async sendIdempotent(chunk: readonly OutgoingRecord[], partitions: readonly number[]): Promise<{ offsets: { topic: string; partition: number; offset: bigint }[] }> {
    const batches = new Map<string, PartitionBatch & { records: OutgoingRecord[] }>();
    let batch: (PartitionBatch & { records: OutgoingRecord[] }) | undefined;
    for (let j = 0; j < chunk.length; j++) {
      const r = chunk[j] as OutgoingRecord;
      const partition = partitions[j] as number;
      // Most runs of records share a partition: the map is read only where it changes.
      if (batch?.partition !== partition || batch.topic !== r.topic) {
        const key = `${r.topic}:${partition}`;
        batch = batches.get(key);
        if (!batch) batches.set(key, (batch = { topic: r.topic, partition, records: [] }));
      }
      batch.records.push(r);
    }
    const list = [...batches.values()];
    await this.sender.send(list);
    return { offsets: list.map((b) => ({ topic: b.topic, partition: b.partition, offset: b.baseOffset ?? -1n })) };
  }

  /** Partition counts of the records' topics, waiting briefly for leaders of topics just auto-created. */
  private async partitionCounts(records: readonly OutgoingRecord[]): Promise<Map<string, number>> {
    const topics = new Set<string>();
    for (const r of records) if (r.partition === undefined) topics.add(r.topic);
    const counts = new Map<string, number>();
    if (topics.size === 0) return counts;
    const deadline = Date.now() + 15_000;
    for (let forceUpdate = false; ; forceUpdate = true) {
      try {
        const meta = await this.producer.metadata({ topics: [...topics], autocreateTopics: true, forceUpdate });
        let ready = true;
        for (const topic of topics) {
          const t = meta.topics.get(topic);
          if (!t || t.partitionsCount === 0 || t.partitions.some((p) => p.leader < 0)) ready = false;
          else counts.set(topic, t.partitionsCount);
        }
        if (ready) return counts;
      } catch (e) {
        if (Date.now() > deadline) throw portError('Reading topic metadata failed', e);
      }
      if (Date.now() > deadline) throw new KafkaPortError(`No leader for the partitions of ${[...topics].join(', ')}`, true);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private partitionOf(r: OutgoingRecord, count: number): number {
    if (r.partition !== undefined) return r.partition;
    if (r.key) return (murmur2(r.key) & 0x7fffffff) % count;
    return (this.sticky.get(r.topic) ?? 0) % count;
  }
}

function recordSize(r: OutgoingRecord): number {
  let size = RECORD_OVERHEAD + (r.key?.length ?? 0) + (r.value?.length ?? 0);
  if (r.headers) for (const h of r.headers) size += h.key.length * 3 + (h.value?.length ?? 0) + 10;
  return size;
}

function toMessage(r: OutgoingRecord, partition: number): MessageToProduce {
  let headers: Map<Buffer, Buffer> | undefined;
  if (r.headers && r.headers.length > 0) {
    headers = new Map();
    // Buffer keys are distinct objects, so repeated header keys survive, as Kafka allows.
    for (const h of r.headers) headers.set(Buffer.from(h.key), h.value as Buffer);
  }
  return {
    topic: r.topic,
    partition,
    key: r.key ?? undefined,
    value: r.value as Buffer,
    headers,
    timestamp: r.timestamp === undefined ? undefined : BigInt(r.timestamp),
  };
}
