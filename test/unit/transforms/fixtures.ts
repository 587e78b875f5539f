import type { ConnectRecord, SinkRecord, SourceRecord } from '../../../lib/plugins/connect-record.ts';
import type { Props, Transformation } from '../../../lib/plugins/plugin-types.ts';

/** A source record with the given parts; defaults give a schemaless value record on topic "orders". */
export function sourceRecord(parts: Partial<ConnectRecord> = {}): SourceRecord {
  return {
    topic: 'orders',
    kafkaPartition: 3,
    keySchema: null,
    key: null,
    valueSchema: null,
    value: null,
    timestamp: 1_700_000_000_000,
    headers: [],
    sourcePartition: { file: 'a' },
    sourceOffset: { position: 1 },
    ...parts,
  };
}

export function sinkRecord(parts: Partial<ConnectRecord> = {}): SinkRecord {
  return { ...sourceRecord(parts), kafkaPartition: parts.kafkaPartition ?? 3, kafkaOffset: 42 } as SinkRecord;
}

/** Configures a transform and returns it. */
export function configured<T extends { configure(props: Props): void }>(t: T, props: Record<string, string>): T {
  t.configure(props);
  return t;
}

/** Applies a transform, failing the test when it drops the record. */
export function applied<R extends ConnectRecord>(t: Transformation, record: R): R {
  const out = t.apply(record);
  if (out === null) throw new Error('transform dropped the record');
  return out as R;
}
