/**
 * The plugin SDK: TypeScript shapes of Kafka Connect's plugin interfaces. A connector,
 * converter, transform or predicate written against these runs unchanged on Lambda,
 * Fargate and the local host.
 */
import type { ConfigDef } from '../config/config-def.ts';
import type { ConnectHeader, ConnectRecord, SinkRecord, SourceOffset, SourcePartition, SourceRecord } from './connect-record.ts';
import type { Schema } from './connect-schema.ts';

export type Props = Readonly<Record<string, string>>;

export interface Versioned {
  version(): string;
}

/** Reads the committed offsets of the connector's source partitions. */
export interface OffsetStorageReader {
  offset(partition: SourcePartition): Promise<SourceOffset | null>;
  offsets(partitions: readonly SourcePartition[]): Promise<Map<SourcePartition, SourceOffset | null>>;
}

export interface ConnectorContext {
  /** Asks the control plane to recompute task configs (e.g. a new table appeared). */
  requestTaskReconfiguration(): void;
  /** Fails the connector with this error. */
  raiseError(error: Error): void;
}

export interface SourceConnectorContext extends ConnectorContext {
  offsetStorageReader(): OffsetStorageReader;
}

interface ConnectorBase extends Versioned {
  start(props: Props, context: ConnectorContext): Promise<void> | void;
  /** Splits the job into at most `maxTasks` task configs. */
  taskConfigs(maxTasks: number): Promise<Props[]> | Props[];
  stop(): Promise<void> | void;
  config(): ConfigDef;
  /** Extra cross-key validation; returns error messages per key. */
  validate?(props: Props): Promise<Record<string, string[]>> | Record<string, string[]>;
  /**
   * Connect's `alterOffsets`: called before offsets are changed through the REST API. Throw to
   * reject them; return true when the connector keeps no offsets of its own outside Connect.
   */
  alterOffsets?(config: Props, offsets: readonly { partition: Record<string, unknown>; offset: Record<string, unknown> | null }[]): boolean | Promise<boolean>;
}

export interface SourceConnector extends ConnectorBase {
  readonly type: 'source';
  createTask(): SourceTask;
  /** 'SUPPORTED' when the connector can define exactly-once boundaries; default UNSUPPORTED. */
  exactlyOnceSupport?(props: Props): 'SUPPORTED' | 'UNSUPPORTED';
}

export interface SinkConnector extends ConnectorBase {
  readonly type: 'sink';
  createTask(): SinkTask;
}

export type Connector = SourceConnector | SinkConnector;

export interface SourceTaskContext {
  readonly configs: Props;
  offsetStorageReader(): OffsetStorageReader;
}

export interface RecordMetadata {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

export interface SourceTask extends Versioned {
  start(props: Props, context: SourceTaskContext): Promise<void> | void;
  /** Returns available records, or null/[] when there are none right now. Must not block for long. */
  poll(): Promise<SourceRecord[] | null> | SourceRecord[] | null;
  /** Called after offsets are committed. */
  commit?(): Promise<void> | void;
  commitRecord?(record: SourceRecord, metadata: RecordMetadata | null): Promise<void> | void;
  stop(): Promise<void> | void;
}

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface SinkTaskContext {
  readonly configs: Props;
  assignment(): readonly TopicPartition[];
  /** Rewinds or advances the consumer to an offset for a partition. */
  offset(tp: TopicPartition, offset: number): void;
  requestCommit(): void;
  /**
   * Tributary: writes records to Kafka topics of the connector's own cluster, for sinks that
   * report what they did (an HTTP sink's response topics). Written records are durable when
   * the returned promise resolves; a sink writes them before its `flush` returns, so a commit
   * never covers a report that was lost.
   */
  recordWriter?(): KafkaRecordWriter;
}

/** A raw record a plugin writes to Kafka itself (no converters apply). */
export interface RawKafkaRecord {
  readonly topic: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: readonly { readonly key: string; readonly value: Buffer | null }[] | undefined;
}

export interface KafkaRecordWriter {
  /** Creates missing topics, sends the records and resolves once Kafka acknowledged them all. */
  write(records: readonly RawKafkaRecord[]): Promise<void>;
}

/** Offsets keyed by `${topic}:${partition}`, the next offset to consume. */
export type PartitionOffsets = Map<string, { topic: string; partition: number; offset: number }>;

export interface SinkTask extends Versioned {
  start(props: Props, context: SinkTaskContext): Promise<void> | void;
  open?(partitions: readonly TopicPartition[]): Promise<void> | void;
  put(records: readonly SinkRecord[]): Promise<void> | void;
  /** Makes everything `put` so far durable. */
  flush?(offsets: PartitionOffsets): Promise<void> | void;
  /** Returns the offsets safe to commit; by default calls flush and returns them all. */
  preCommit?(offsets: PartitionOffsets): Promise<PartitionOffsets> | PartitionOffsets;
  close?(partitions: readonly TopicPartition[]): Promise<void> | void;
  stop(): Promise<void> | void;
}

export interface SchemaAndValue {
  readonly schema: Schema | null;
  readonly value: unknown;
}

/**
 * Connect's Converter: between Connect data and Kafka bytes. A converter may answer with a
 * promise when it must first ask a remote service (a schema registry); it should answer
 * synchronously whenever it can, since the runtime then converts without a promise per record.
 */
export interface Converter {
  configure(props: Props, isKey: boolean): void;
  fromConnectData(topic: string, schema: Schema | null | undefined, value: unknown, headers?: ConnectHeader[]): Buffer | null | Promise<Buffer | null>;
  toConnectData(topic: string, value: Buffer | null, headers?: readonly ConnectHeader[]): SchemaAndValue | Promise<SchemaAndValue>;
  config?(): ConfigDef;
}

/** Connect's HeaderConverter. */
export interface HeaderConverter {
  configure(props: Props): void;
  fromConnectHeader(topic: string, headerKey: string, schema: Schema | null | undefined, value: unknown): Buffer | null;
  toConnectHeader(topic: string, headerKey: string, value: Buffer | null): SchemaAndValue;
  config?(): ConfigDef;
}

/** Connect's Transformation: returns the new record, or null to drop it. */
export interface Transformation<R extends ConnectRecord = ConnectRecord> {
  configure(props: Props): void;
  apply(record: R): R | null;
  config(): ConfigDef;
  close?(): void;
}

export interface Predicate<R extends ConnectRecord = ConnectRecord> {
  configure(props: Props): void;
  test(record: R): boolean;
  config(): ConfigDef;
  close?(): void;
}

export type PluginType = 'source' | 'sink' | 'converter' | 'header_converter' | 'transformation' | 'predicate';

/** How a plugin is registered: its class name, short aliases, and a factory. */
export interface PluginDescriptor<T = unknown> {
  readonly className: string;
  readonly aliases?: readonly string[];
  readonly type: PluginType;
  readonly version: string;
  create(): T;
}
