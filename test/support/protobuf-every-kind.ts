/**
 * A Connect schema using every kind the Protobuf converter maps (nested and repeated structs,
 * scalar-key and entry maps, enum, oneof union, INT8/INT16, the four logical types) and records of it.
 */
import { Decimal, dateSchema, decimalSchema, timeSchema, timestampSchema } from '../../lib/converters/logical-types.ts';
import { ENUM_PARAM, TAG_PARAM, UNION_PREFIX } from '../../lib/converters/protobuf/protobuf-schema-data.ts';
import { SchemaBuilder, Schemas, Struct } from '../../lib/plugins/connect-schema.ts';

const ADDRESS = SchemaBuilder.struct().name('shop.Address').field('street', Schemas.STRING).field('zip', Schemas.OPTIONAL_INT32).build();
const STATUS = new SchemaBuilder('STRING').name('Status').parameter(ENUM_PARAM, 'Status').parameter(`${ENUM_PARAM}.UNKNOWN`, '0').parameter(`${ENUM_PARAM}.PAID`, '1').parameter(`${ENUM_PARAM}.SHIPPED`, '5').build();
export const PAYMENT = SchemaBuilder.struct()
  .name(`${UNION_PREFIX}payment`)
  .field('card', new SchemaBuilder('STRING').optional().parameter(TAG_PARAM, '20').build())
  .field('points', new SchemaBuilder('INT64').optional().parameter(TAG_PARAM, '21').build())
  .optional()
  .build();
export const ORDER = SchemaBuilder.struct()
  .name('shop.Order')
  .field('id', Schemas.INT64)
  .field('tiny', Schemas.INT8)
  .field('small', Schemas.INT16)
  .field('ratio', Schemas.FLOAT32)
  .field('note', Schemas.OPTIONAL_STRING)
  .field('blob', Schemas.BYTES)
  .field('price', decimalSchema(2))
  .field('day', dateSchema())
  .field('clock', timeSchema())
  .field('at', timestampSchema())
  .field('status', STATUS)
  .field('payment', PAYMENT)
  .field('ship_to', ADDRESS)
  .field('history', SchemaBuilder.array(ADDRESS).build())
  .field('tags', SchemaBuilder.array(Schemas.STRING).build())
  .field('attrs', SchemaBuilder.map(Schemas.STRING, Schemas.INT64).build())
  .field('by_address', SchemaBuilder.map(ADDRESS, Schemas.STRING).build())
  .field('groups', SchemaBuilder.map(Schemas.STRING, SchemaBuilder.array(Schemas.INT32).build()).build())
  .build();

export function order(n: number): Struct {
  const addr = (s: string) => new Struct(ADDRESS).put('street', s).put('zip', n % 2 ? null : 10_000 + n);
  return new Struct(ORDER)
    .put('id', n % 2 ? 2n ** 62n + BigInt(n) : -n - 1)
    .put('tiny', -n - 3)
    .put('small', n * 100)
    .put('ratio', Math.fround(n / 8))
    .put('note', n % 2 ? null : `note ${n}`)
    .put('blob', Buffer.from([n, 0, 255]))
    .put('price', new Decimal(BigInt(n * 101 - 500), 2))
    .put('day', new Date(Date.UTC(2024, 0, 1 + n)))
    .put('clock', new Date((n * 1237 * 1000 + n) % 86_400_000))
    .put('at', new Date(1_700_000_000_000 + n * 1001))
    .put('status', n % 2 ? 'SHIPPED' : 'PAID')
    .put('payment', new Struct(PAYMENT).put(n % 2 ? 'points' : 'card', n % 2 ? 9_000_000_000 + n : `visa ${n}`))
    .put('ship_to', addr(`${n} Main St`))
    .put('history', [addr('a'), addr('b')])
    .put('tags', [`t${n}`, 'x'])
    .put('attrs', new Map([[`a${n}`, n * 1000], ['z', -1]]))
    .put('by_address', new Map([[addr('k'), `v${n}`]]))
    .put('groups', new Map([['g', [n, n + 1]], ['empty', []]]));
}


/** Field values without schemas (a read side's schemas are all optional and carry tags). */
export function plainValue(v: unknown): unknown {
  if (v instanceof Struct) return Object.fromEntries((v.schema.fields ?? []).map((f) => [f.name, plainValue(v.get(f.name))]));
  if (Array.isArray(v)) return v.map(plainValue);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [plainValue(k), plainValue(x)]));
  if (v instanceof Decimal) return `decimal:${v.toPlainString()}`;
  return v;
}
