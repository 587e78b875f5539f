/**
 * avsc types for registry schemas: unions always wrapped (so a value names its branch) and
 * longs read as bigint, so INT64 values beyond 2^53 survive the trip.
 */
import avro from 'avsc';

const LONG = avro.types.LongType.__with({
  fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
  toBuffer: (n: bigint) => {
    const b = Buffer.allocUnsafe(8);
    b.writeBigInt64LE(n);
    return b;
  },
  fromJSON: (v: unknown) => BigInt(v as number),
  toJSON: (n: bigint) => Number(n),
  isValid: (n: unknown) => typeof n === 'bigint',
  compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
});

export type AvroType = avro.Type;

/** An avsc type for an Avro schema (parsed JSON). */
export function avroType(schema: unknown): AvroType {
  // Every long, `"long"` or `{"type": "long", ...}` (timestamps), goes through the bigint codec.
  const typeHook = (s: unknown): AvroType | undefined => (s === 'long' || (s as { type?: unknown } | null)?.type === 'long' ? LONG : undefined);
  return avro.Type.forSchema(schema as avro.Schema, { typeHook: typeHook as never, wrapUnions: 'always' });
}
