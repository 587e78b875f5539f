/**
 * The idempotent producer's send path: record batches encoded by record-batch-encoder, sent as
 * Produce requests over @platformatic/kafka's public protocol API (its connection pool, its
 * metadata, its Produce response parsers, its InitProducerId).
 *
 * Written here rather than left to the client's `send` for the encoding's sake (see the
 * encoder). The guarantees are the client's and Java's for one request in flight: a retried
 * request carries the same producer id and sequence, so the broker writes it once; a broker
 * that lost the producer's state (UNKNOWN_PRODUCER_ID, OUT_OF_ORDER_SEQUENCE_NUMBER) gets the
 * batch again under a new producer id, which keeps order because nothing after it was sent.
 */
import {
  findErrorBy,
  produceV3,
  produceV4,
  produceV5,
  produceV6,
  produceV7,
  produceV8,
  produceV9,
  produceV10,
  produceV11,
  Writer,
  type Connection,
  type Reader,
  type Producer,
} from '@platformatic/kafka';
import type { OutgoingRecord } from './kafka-port.ts';
import { newestSpoken, retryDelay } from './platformatic-client-options.ts';
import { encodeRecordBatch, type BatchIdentity } from './record-batch-encoder.ts';

const PRODUCE_API_KEY = 0;
const DUPLICATE_SEQUENCE_NUMBER = 46;
type ProduceResponse = produceV11.ProduceResponse;
/** The Produce versions a batch of magic 2 may travel in, oldest first, with their response parsers. */
const PRODUCE_VERSIONS = [produceV3, produceV4, produceV5, produceV6, produceV7, produceV8, produceV9, produceV10, produceV11].map((m) => ({
  version: m.api.version,
  parseResponse: m.parseResponse as (correlationId: number, apiKey: number, apiVersion: number, reader: Reader) => ProduceResponse,
}));
type ProduceVersion = (typeof PRODUCE_VERSIONS)[number];
/** First Produce version with compact (flexible) encoding. */
const FLEXIBLE = 9;
/** What the broker may take to replicate a batch (acks=all) before it answers with a timeout. */
const REPLICATION_TIMEOUT_MS = 30_000;
/** Attempts after the first, with the client options' backoff: about 30 s in all. */
const RETRIES = 20;

/** One partition's records of a send, and the base offset the broker gave them. */
export interface PartitionBatch {
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly OutgoingRecord[];
  baseOffset?: bigint;
}

type Identity = Pick<BatchIdentity, 'producerId' | 'producerEpoch'>;

export class IdempotentSender {
  private identity: Identity | undefined;
  /** Next sequence number per `topic:partition`, for the current identity. */
  private readonly sequences = new Map<string, number>();
  private version: ProduceVersion | undefined;

  constructor(private readonly producer: Producer) {}

  /** Writes every batch (acks=all), setting its base offset; one call at a time. */
  async send(batches: readonly PartitionBatch[]): Promise<void> {
    let pending = batches;
    for (let attempt = 0; ; attempt++) {
      let error: Error | undefined;
      try {
        const identity = await this.currentIdentity();
        const version = await this.produceVersion();
        const metadata = await this.producer.metadata({ topics: [...new Set(pending.map((b) => b.topic))], autocreateTopics: true, forceUpdate: attempt > 0 });
        const byLeader = new Map<number, PartitionBatch[]>();
        for (const b of pending) {
          const leader = metadata.topics.get(b.topic)?.partitions[b.partition]?.leader ?? -1;
          let group = byLeader.get(leader);
          if (!group) byLeader.set(leader, (group = []));
          group.push(b);
        }
        const results = await Promise.allSettled(
          [...byLeader].map(async ([leader, group]) => {
            const broker = metadata.brokers.get(leader);
            if (!broker) throw new Error(`No leader for ${group.map((b) => `${b.topic}-${b.partition}`).join(', ')}`);
            await this.produce(await this.producer.connections.get(broker), version, identity, group);
          }),
        );
        for (const r of results) if (r.status === 'rejected') error ??= asError(r.reason);
      } catch (e) {
        error = asError(e);
      }
      if (!error) return;
      pending = pending.filter((b) => b.baseOffset === undefined);
      // A broker that lost the producer's state takes the batches again under a new producer id,
      // starting at sequence 0; that keeps order because nothing after them was sent. After a
      // final failure, whether the last attempt was written is unknown: the next send starts
      // under a new producer id too.
      const lost = producerStateLost(error);
      const retriable = lost || !findErrorBy(error, 'canRetry', false);
      if (lost || !retriable || attempt >= RETRIES) this.forgetIdentity();
      if (!retriable || attempt >= RETRIES) throw error;
      await new Promise((r) => setTimeout(r, retryDelay(undefined, 'produce', attempt + 1, RETRIES, error as Error)));
    }
  }

  private async produce(connection: Connection, { version, parseResponse }: ProduceVersion, identity: Identity, batches: readonly PartitionBatch[]): Promise<void> {
    const encoded = batches.map((b) => encodeRecordBatch(b.records, { ...identity, baseSequence: this.sequences.get(`${b.topic}:${b.partition}`) ?? 0 }));
    const flexible = version >= FLEXIBLE;
    const byTopic = new Map<string, number[]>();
    batches.forEach((b, i) => {
      let list = byTopic.get(b.topic);
      if (!list) byTopic.set(b.topic, (list = []));
      list.push(i);
    });
    const writer = Writer.create()
      .appendString(null, flexible)
      .appendInt16(-1) // acks=all
      .appendInt32(REPLICATION_TIMEOUT_MS)
      .appendArray(
        [...byTopic],
        (w, [topic, indexes]) => {
          w.appendString(topic, flexible).appendArray(
            indexes,
            (w, i) => {
              const records = encoded[i] as Buffer;
              w.appendInt32((batches[i] as PartitionBatch).partition);
              if (flexible) w.appendUnsignedVarInt(records.length + 1);
              else w.appendInt32(records.length);
              w.append(records);
            },
            flexible,
            flexible,
          );
        },
        flexible,
        flexible,
      );
    if (flexible) writer.appendTaggedFields();
    let response: ProduceResponse | undefined;
    let error: Error | undefined;
    try {
      response = await new Promise<ProduceResponse>((resolve, reject) => {
        connection.send(PRODUCE_API_KEY, version, () => writer, parseResponse, flexible, flexible, (e, r) => (e ? reject(e) : resolve(r as ProduceResponse)));
      });
    } catch (e) {
      // A response with errors still says which partitions were written.
      error = asError(e);
      response = (e as { response?: ProduceResponse }).response;
    }
    const written = new Map<string, bigint>();
    for (const t of response?.responses ?? []) {
      for (const p of t.partitionResponses) {
        // A duplicate of a batch already written is a success whose offset the broker no longer knows.
        if (p.errorCode === 0 || p.errorCode === DUPLICATE_SEQUENCE_NUMBER) written.set(`${t.name}:${p.index}`, p.errorCode === 0 ? p.baseOffset : -1n);
      }
    }
    for (const b of batches) {
      const key = `${b.topic}:${b.partition}`;
      const offset = written.get(key);
      if (offset === undefined) continue;
      b.baseOffset = offset;
      this.sequences.set(key, ((this.sequences.get(key) ?? 0) + b.records.length) % 2 ** 31);
    }
    if (error) throw error;
  }

  private async currentIdentity(): Promise<Identity> {
    if (!this.identity) {
      const info = await this.producer.initIdempotentProducer({});
      this.identity = { producerId: info.producerId, producerEpoch: info.producerEpoch };
      this.sequences.clear();
    }
    return this.identity;
  }

  private forgetIdentity(): void {
    this.identity = undefined;
    this.sequences.clear();
  }

  /** The newest Produce version both sides speak. */
  private async produceVersion(): Promise<ProduceVersion> {
    this.version ??= await newestSpoken(this.producer, PRODUCE_API_KEY, PRODUCE_VERSIONS);
    if (!this.version) throw new Error('The broker speaks no Produce version for record batches of magic 2 (Kafka 0.11 or newer is needed)');
    return this.version;
  }
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

function producerStateLost(error: Error): boolean {
  return findErrorBy(error, 'apiId', 'UNKNOWN_PRODUCER_ID') !== null || findErrorBy(error, 'apiId', 'OUT_OF_ORDER_SEQUENCE_NUMBER') !== null;
}
