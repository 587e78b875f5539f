/**
 * The per-record path between a task and Kafka: transforms and converters, each stage run
 * through the error handler so failures are retried, tolerated or fail the task as
 * Connect's do.
 */
import type { FetchedRecord, KafkaHeader, OutgoingRecord } from '../kafka/kafka-port.ts';
import type { ConnectHeader, SinkRecord, SourceRecord } from '../plugins/connect-record.ts';
import type { PluginRegistry } from '../plugins/plugin-registry.ts';
import type { Converter, HeaderConverter, SchemaAndValue } from '../plugins/plugin-types.ts';
import { buildTransformChain, type TransformChain } from '../transforms/transform-chain.ts';
import { RETRY, isPromiseLike, type ErrorHandler, type OriginalRecord } from './error-handler.ts';
import { TaskConfigError } from './runtime-errors.ts';

export const DEFAULT_CONVERTER = 'org.apache.kafka.connect.json.JsonConverter';
export const DEFAULT_HEADER_CONVERTER = 'org.apache.kafka.connect.storage.SimpleHeaderConverter';

/** Options under a prefix, without it: `value.converter.schemas.enable` → `schemas.enable`. */
export function withPrefix(config: Readonly<Record<string, string>>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) if (k.startsWith(`${prefix}.`)) out[k.slice(prefix.length + 1)] = v;
  return out;
}

export class RecordPipeline {
  private readonly keyConverter: Converter;
  private readonly valueConverter: Converter;
  private readonly headerConverter: HeaderConverter;
  private readonly transforms: TransformChain;
  private readonly names: { key: string; value: string; header: string };
  /** No transforms configured: the per-record stage can be skipped. */
  private readonly noTransforms: boolean;

  constructor(
    registry: PluginRegistry,
    config: Readonly<Record<string, string>>,
    private readonly errors: ErrorHandler,
  ) {
    this.names = {
      key: config['key.converter'] ?? DEFAULT_CONVERTER,
      value: config['value.converter'] ?? DEFAULT_CONVERTER,
      header: config['header.converter'] ?? DEFAULT_HEADER_CONVERTER,
    };
    this.keyConverter = create<Converter>(registry, this.names.key, 'converter');
    this.keyConverter.configure(withPrefix(config, 'key.converter'), true);
    this.valueConverter = create<Converter>(registry, this.names.value, 'converter');
    this.valueConverter.configure(withPrefix(config, 'value.converter'), false);
    this.headerConverter = create<HeaderConverter>(registry, this.names.header, 'header_converter');
    this.headerConverter.configure(withPrefix(config, 'header.converter'));
    this.transforms = buildTransformChain(config, (name) => registry.find(name, ['transformation', 'predicate']));
    this.noTransforms = this.transforms.stages.length === 0;
  }

  /** A source record on its way to Kafka, or null when a transform dropped it or an error was tolerated. */
  async toKafka(record: SourceRecord): Promise<OutgoingRecord | null> {
    const t = await this.errors.run('TRANSFORMATION', 'transforms', () => this.transforms.apply(record));
    if (!t.ok || t.value === null) return null;
    const r = t.value;
    const headers: KafkaHeader[] = [];
    if (r.headers?.length) {
      const h = await this.errors.run('HEADER_CONVERTER', this.names.header, () => {
        for (const hd of r.headers ?? []) headers.push({ key: hd.key, value: this.headerConverter.fromConnectHeader(r.topic, hd.key, hd.schema, hd.value) });
      });
      if (!h.ok) return null;
    }
    const key = await this.errors.run('KEY_CONVERTER', this.names.key, () => this.keyConverter.fromConnectData(r.topic, r.keySchema, r.key ?? null));
    if (!key.ok) return null;
    const value = await this.errors.run('VALUE_CONVERTER', this.names.value, () => this.valueConverter.fromConnectData(r.topic, r.valueSchema, r.value));
    if (!value.ok) return null;
    return { topic: r.topic, partition: r.kafkaPartition ?? undefined, key: key.value, value: value.value, headers, timestamp: r.timestamp ?? undefined };
  }

  /**
   * Converts a poll batch. Stages run synchronously unless one fails retriably, so the
   * common case costs no promise per record. Returns what to send, with the records it came from.
   */
  async toKafkaBatch(records: readonly SourceRecord[]): Promise<{ out: OutgoingRecord[]; sent: SourceRecord[] }> {
    const out: OutgoingRecord[] = [];
    const sent: SourceRecord[] = [];
    for (const r of records) {
      const o = this.toKafkaSync(r);
      const resolved = o === RETRY ? await this.toKafka(r) : o;
      if (resolved) {
        out.push(resolved);
        sent.push(r);
      }
    }
    return { out, sent };
  }

  private toKafkaSync(record: SourceRecord): OutgoingRecord | null | typeof RETRY {
    let r = record;
    if (!this.noTransforms) {
      const t = this.errors.attempt('TRANSFORMATION', 'transforms', () => this.transforms.apply(record));
      if (t === RETRY) return RETRY;
      if (!t.ok || t.value === null) return null;
      r = t.value;
    }
    let headers: KafkaHeader[] | undefined;
    if (r.headers?.length) {
      const list: KafkaHeader[] = (headers = []);
      const h = this.errors.attempt('HEADER_CONVERTER', this.names.header, () => {
        for (const hd of r.headers ?? []) list.push({ key: hd.key, value: this.headerConverter.fromConnectHeader(r.topic, hd.key, hd.schema, hd.value) });
      });
      if (h === RETRY) return RETRY;
      if (!h.ok) return null;
    }
    const key = this.errors.attempt('KEY_CONVERTER', this.names.key, () => this.keyConverter.fromConnectData(r.topic, r.keySchema, r.key ?? null));
    if (key === RETRY) return RETRY;
    if (!key.ok) return null;
    const value = this.errors.attempt('VALUE_CONVERTER', this.names.value, () => this.valueConverter.fromConnectData(r.topic, r.valueSchema, r.value));
    if (value === RETRY) return RETRY;
    if (!value.ok) return null;
    // A converter waiting on its schema registry: take the awaiting path (it caches the pending lookup).
    if (pending(key.value) || pending(value.value)) return RETRY;
    return { topic: r.topic, partition: r.kafkaPartition ?? undefined, key: key.value, value: value.value, headers, timestamp: r.timestamp ?? undefined };
  }

  /** A consumed record on its way to the sink task, or null when dropped or tolerated. */
  async fromKafka(f: FetchedRecord): Promise<SinkRecord | null> {
    const original: OriginalRecord = f;
    const key = await this.errors.run('KEY_CONVERTER', this.names.key, () => this.keyConverter.toConnectData(f.topic, f.key), original);
    if (!key.ok) return null;
    const value = await this.errors.run('VALUE_CONVERTER', this.names.value, () => this.valueConverter.toConnectData(f.topic, f.value), original);
    if (!value.ok) return null;
    const headers = f.headers.length ? await this.errors.run('HEADER_CONVERTER', this.names.header, () => this.connectHeaders(f), original) : { ok: true as const, value: [] };
    if (!headers.ok) return null;
    const record = sinkRecord(f, key.value, value.value, headers.value);
    const t = await this.errors.run('TRANSFORMATION', 'transforms', () => this.transforms.apply(record), original);
    return t.ok ? t.value : null;
  }

  private connectHeaders(f: FetchedRecord): ConnectHeader[] {
    return f.headers.map((h): ConnectHeader => {
      const sv = this.headerConverter.toConnectHeader(f.topic, h.key, h.value);
      return { key: h.key, schema: sv.schema, value: sv.value };
    });
  }

  /** Converts a fetched batch; the common case runs without a promise per record. */
  async fromKafkaBatch(fetched: readonly FetchedRecord[]): Promise<SinkRecord[]> {
    const out: SinkRecord[] = [];
    for (const f of fetched) {
      const r = this.fromKafkaSync(f);
      const resolved = r === RETRY ? await this.fromKafka(f) : r;
      if (resolved) out.push(resolved);
    }
    return out;
  }

  /** fromKafka without promises: RETRY when a stage failed retriably (then fromKafka runs the record again). */
  private fromKafkaSync(f: FetchedRecord): SinkRecord | null | typeof RETRY {
    const key = this.errors.attempt('KEY_CONVERTER', this.names.key, () => this.keyConverter.toConnectData(f.topic, f.key), f);
    if (key === RETRY) return RETRY;
    if (!key.ok) return null;
    const value = this.errors.attempt('VALUE_CONVERTER', this.names.value, () => this.valueConverter.toConnectData(f.topic, f.value), f);
    if (value === RETRY) return RETRY;
    if (!value.ok) return null;
    // A converter waiting on its schema registry: take the awaiting path (it caches the pending lookup).
    if (pending(key.value) || pending(value.value)) return RETRY;
    let headers: ConnectHeader[] = [];
    if (f.headers.length) {
      const h = this.errors.attempt('HEADER_CONVERTER', this.names.header, () => this.connectHeaders(f), f);
      if (h === RETRY) return RETRY;
      if (!h.ok) return null;
      headers = h.value;
    }
    const record = sinkRecord(f, key.value, value.value, headers);
    if (this.noTransforms) return record;
    const t = this.errors.attempt('TRANSFORMATION', 'transforms', () => this.transforms.apply(record), f);
    if (t === RETRY) return RETRY;
    return t.ok ? t.value : null;
  }

  close(): void {
    this.transforms.close();
  }
}

/** True for a promise, which is then left to settle quietly: the awaiting path asks again. */
function pending<T>(v: T | Promise<T>): v is Promise<T> {
  if (!isPromiseLike(v)) return false;
  (v as Promise<T>).catch(() => {});
  return true;
}

function create<T>(registry: PluginRegistry, className: string, type: 'converter' | 'header_converter'): T {
  const d = registry.find(className, [type]);
  if (!d) throw new TaskConfigError(`Failed to find any class that implements ${type === 'converter' ? 'Converter' : 'HeaderConverter'} and which name matches ${className}`);
  return d.create() as T;
}

/** The sink record of a fetched record, its key and value converted. */
function sinkRecord(f: FetchedRecord, key: SchemaAndValue, value: SchemaAndValue, headers: ConnectHeader[]): SinkRecord {
  return {
    topic: f.topic,
    kafkaPartition: f.partition,
    kafkaOffset: f.offset,
    keySchema: key.schema,
    key: key.value,
    valueSchema: value.schema,
    value: value.value,
    timestamp: f.timestamp,
    timestampType: 'CreateTime',
    headers,
    originalTopic: f.topic,
    originalKafkaPartition: f.partition,
    originalKafkaOffset: f.offset,
  };
}
