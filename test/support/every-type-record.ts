/**
 * A Connect schema that uses every type the Avro mapping covers — INT8..FLOAT64, BOOLEAN,
 * STRING, BYTES, Decimal, Date, Time, Timestamp, optional fields, defaults, arrays, string-keyed
 * and int-keyed maps, a nested struct — and records filled from a seed.
 */
import { Schemas, SchemaBuilder, Struct } from '../../lib/plugins/connect-schema.ts';
import type { Schema } from '../../lib/plugins/connect-schema.ts';
import { Decimal, dateSchema, decimalSchema, timeSchema, timestampSchema } from '../../lib/converters/logical-types.ts';

export const ADDRESS_SCHEMA: Schema = SchemaBuilder.struct().name('com.example.Address').field('street', Schemas.STRING).field('zip', Schemas.OPTIONAL_INT32).build();

export const EVERY_TYPE_SCHEMA: Schema = SchemaBuilder.struct()
  .name('com.example.EveryType')
  .version(1)
  .doc('every Connect type')
  .field('i8', Schemas.INT8)
  .field('i16', Schemas.INT16)
  .field('i32', Schemas.INT32)
  .field('i64', Schemas.INT64)
  .field('f32', Schemas.FLOAT32)
  .field('f64', Schemas.FLOAT64)
  .field('flag', Schemas.BOOLEAN)
  .field('text', Schemas.STRING)
  .field('blob', Schemas.BYTES)
  .field('price', decimalSchema(2))
  .field('day', dateSchema())
  .field('clock', timeSchema())
  .field('at', timestampSchema())
  .field('maybe_text', Schemas.OPTIONAL_STRING)
  .field('maybe_long', Schemas.OPTIONAL_INT64)
  .field('with_default', new SchemaBuilder('INT32').defaultValue(42).build())
  .field('tags', SchemaBuilder.array(Schemas.STRING).build())
  .field('scores', SchemaBuilder.map(Schemas.STRING, Schemas.FLOAT64).build())
  .field('by_id', SchemaBuilder.map(Schemas.INT32, Schemas.STRING).build())
  .field('address', ADDRESS_SCHEMA)
  .field('maybe_address', new SchemaBuilder('STRUCT').name('com.example.Address2').field('line', Schemas.STRING).optional().build())
  .build();

/** Record `n`: every field set, the optional ones null on odd records. */
export function everyTypeRecord(n: number): Struct {
  const odd = n % 2 === 1;
  const maybeAddressSchema = EVERY_TYPE_SCHEMA.fields?.find((f) => f.name === 'maybe_address')?.schema as Schema;
  return new Struct(EVERY_TYPE_SCHEMA)
    .put('i8', (n % 256) - 128)
    .put('i16', (n % 65536) - 32768)
    .put('i32', n * 7919 - 2 ** 30)
    .put('i64', n % 3 === 0 ? 2n ** 62n + BigInt(n) : -n * 1_000_003)
    .put('f32', Math.fround(n / 8))
    .put('f64', n / 3)
    .put('flag', !odd)
    .put('text', `text ${n} é ✓`)
    .put('blob', Buffer.from([n & 0xff, 0, 255, (n >> 8) & 0xff]))
    .put('price', new Decimal(BigInt(n) * 101n - 5000n, 2))
    .put('day', new Date(Date.UTC(2024, 0, 1) + (n % 1000) * 86_400_000))
    .put('clock', new Date((n * 1237) % 86_400_000))
    .put('at', new Date(1_700_000_000_000 + n * 1000))
    .put('maybe_text', odd ? null : `maybe ${n}`)
    .put('maybe_long', odd ? null : n * 10)
    .put('with_default', n)
    .put('tags', [`t${n}`, 'x'])
    .put('scores', new Map([[`k${n}`, n / 2], ['z', 0.5]]))
    .put('by_id', new Map([[n, `id${n}`], [-1, 'minus']]))
    .put('address', new Struct(ADDRESS_SCHEMA).put('street', `${n} Main St`).put('zip', odd ? null : 10_000 + n))
    .put('maybe_address', odd ? null : new Struct(maybeAddressSchema).put('line', `line ${n}`));
}
