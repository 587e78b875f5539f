/**
 * Connect data → DynamoDB attribute values. Structs and maps become M, arrays L, integers,
 * floats and Decimals N, strings S, bytes B, booleans BOOL, nulls NULL; Timestamp is N
 * (epoch milliseconds), Date and Time are S in ISO-8601. A value that is not a struct or map
 * is stored under the attribute `value`. Key attributes come from the record per
 * `aws.dynamodb.pk.hash` / `.pk.sort` and must be S, N or B.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { Decimal, isoDate, isoTime, logicalKind } from '../../converters/logical-types.ts';
import type { SinkRecord } from '../../plugins/connect-record.ts';
import { Struct, type Schema } from '../../plugins/connect-schema.ts';
import { AwsDataError } from '../aws/aws-errors.ts';
import type { KeyReference } from './dynamodb-sink-config.ts';

const where = (r: SinkRecord) => `topic '${r.topic}', partition ${r.kafkaPartition}, offset ${r.kafkaOffset}`;

export function toAttribute(value: unknown, schema?: Schema | null): AttributeValue {
  if (value === null || value === undefined) return { NULL: true };
  switch (logicalKind(schema)) {
    case 'decimal':
      return { N: Decimal.from(value).toString() };
    case 'timestamp':
      return { N: String(value instanceof Date ? value.getTime() : Number(value)) };
    case 'date':
      return { S: isoDate(value instanceof Date ? value : new Date(Number(value))) };
    case 'time':
      return { S: isoTime(value instanceof Date ? value : new Date(Number(value))) };
    default:
  }
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new AwsDataError(`DynamoDB numbers cannot be ${value}`);
    return { N: String(value) };
  }
  if (typeof value === 'bigint') return { N: value.toString() };
  if (typeof value === 'boolean') return { BOOL: value };
  if (value instanceof Decimal) return { N: value.toString() };
  if (value instanceof Date) return { N: String(value.getTime()) };
  if (value instanceof Uint8Array) return { B: value };
  if (Array.isArray(value)) return { L: value.map((v) => toAttribute(v, schema?.valueSchema)) };
  if (value instanceof Struct) {
    const M: Record<string, AttributeValue> = {};
    for (const f of value.schema.fields ?? []) M[f.name] = toAttribute(value.get(f.name), f.schema);
    return { M };
  }
  if (value instanceof Map) {
    const M: Record<string, AttributeValue> = {};
    for (const [k, v] of value) M[String(k)] = toAttribute(v, schema?.valueSchema);
    return { M };
  }
  if (typeof value === 'object') {
    const M: Record<string, AttributeValue> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) M[k] = toAttribute(v, schema?.type === 'MAP' ? schema.valueSchema : null);
    return { M };
  }
  throw new AwsDataError(`Cannot map a ${typeof value} to a DynamoDB attribute`);
}

function pathValue(root: unknown, path: readonly string[], schema: Schema | null | undefined): { value: unknown; schema: Schema | null | undefined } {
  let cur = root;
  let s = schema;
  for (const part of path) {
    if (cur instanceof Struct) {
      const f = cur.field(part);
      cur = f ? cur.get(part) : undefined;
      s = f?.schema;
    } else if (cur instanceof Map) {
      cur = cur.get(part);
      s = s?.valueSchema;
    } else if (cur && typeof cur === 'object') {
      cur = (cur as Record<string, unknown>)[part];
      s = null;
    } else {
      return { value: undefined, schema: null };
    }
  }
  return { value: cur, schema: s };
}

/** The key attribute a reference names, for a record; throws naming the record when it is missing or not S/N/B. */
export function keyAttribute(ref: KeyReference, r: SinkRecord): [string, AttributeValue] {
  let v: { value: unknown; schema: Schema | null | undefined };
  switch (ref.source) {
    case 'partition':
      v = { value: r.kafkaPartition, schema: null };
      break;
    case 'offset':
      v = { value: r.kafkaOffset, schema: null };
      break;
    case 'key':
      v = pathValue(r.key, ref.path, r.keySchema);
      break;
    case 'value':
      v = pathValue(r.value, ref.path, r.valueSchema);
      break;
  }
  const text = `${ref.source}${ref.path.length ? '.' + ref.path.join('.') : ''}`;
  if (v.value === null || v.value === undefined) throw new AwsDataError(`Key attribute ${ref.attribute}: ${text} is missing or null in record at ${where(r)}`);
  const a = toAttribute(v.value, v.schema);
  if (!('S' in a || 'N' in a || 'B' in a)) throw new AwsDataError(`Key attribute ${ref.attribute}: ${text} of record at ${where(r)} is not a string, number or bytes`);
  return [ref.attribute, a];
}

/** The item of a record: its value's attributes, then the key attributes. */
export function toItem(r: SinkRecord, keys: readonly [string, AttributeValue][]): Record<string, AttributeValue> {
  const top = toAttribute(r.value, r.valueSchema);
  const item: Record<string, AttributeValue> = 'M' in top && top.M ? { ...top.M } : { value: top };
  for (const [name, a] of keys) item[name] = a;
  return item;
}
