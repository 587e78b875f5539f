import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INT64_MAX, INT64_MIN, normalizeInt64, schemaEquals } from '../../../lib/converters/data-util.ts';
import { JsonConverter } from '../../../lib/converters/json-converter.ts';
import { Decimal, MILLIS_PER_DAY, dateSchema, decimalSchema, timeSchema, timestampSchema } from '../../../lib/converters/logical-types.ts';
import { SchemaBuilder, Schemas, Struct, valuesEqual } from '../../../lib/plugins/connect-schema.ts';
import type { Schema } from '../../../lib/plugins/connect-schema.ts';

const primitiveSchema = fc.constantFrom<Schema>(
  Schemas.INT8,
  Schemas.INT16,
  Schemas.INT32,
  Schemas.INT64,
  Schemas.FLOAT32,
  Schemas.FLOAT64,
  Schemas.BOOLEAN,
  Schemas.STRING,
  Schemas.BYTES,
  dateSchema(),
  timeSchema(),
  timestampSchema(),
);
const decimalSchemas = fc.integer({ min: -4, max: 12 }).map((scale) => decimalSchema(scale));
const keySchema = fc.constantFrom<Schema>(Schemas.STRING, Schemas.INT32, Schemas.INT64, Schemas.BOOLEAN, Schemas.FLOAT64);
const fieldName = fc.string({ minLength: 1, maxLength: 8 });

const optionalize = (s: Schema, optional: boolean): Schema => (optional ? Object.freeze({ ...s, optional: true }) : s);

const { schema: schemaArb } = fc.letrec<{ schema: Schema; array: Schema; map: Schema; struct: Schema }>((tie) => ({
  schema: fc
    .tuple(fc.oneof({ depthSize: 'small', maxDepth: 3 }, primitiveSchema, decimalSchemas, tie('array'), tie('map'), tie('struct')), fc.boolean())
    .map(([s, optional]) => optionalize(s, optional)),
  array: tie('schema').map((v) => SchemaBuilder.array(v).build()),
  map: fc.tuple(keySchema, tie('schema')).map(([k, v]) => SchemaBuilder.map(k, v).build()),
  struct: fc
    .uniqueArray(fc.tuple(fieldName, tie('schema')), { selector: ([n]) => n, maxLength: 4 })
    .map((fields) => {
      const b = SchemaBuilder.struct().name('test.Struct');
      for (const [n, s] of fields) b.field(n, s);
      return b.build();
    }),
}));

function valueArb(schema: Schema): fc.Arbitrary<unknown> {
  const required = requiredValueArb(schema);
  return schema.optional ? fc.option(required, { nil: null, freq: 5 }) : required;
}

function requiredValueArb(schema: Schema): fc.Arbitrary<unknown> {
  switch (schema.name) {
    case 'org.apache.kafka.connect.data.Decimal': {
      const scale = Number(schema.parameters?.scale);
      return fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map((u) => new Decimal(u, scale));
    }
    case 'org.apache.kafka.connect.data.Date':
      return fc.integer({ min: -1_000_000, max: 1_000_000 }).map((d) => new Date(d * MILLIS_PER_DAY));
    case 'org.apache.kafka.connect.data.Time':
      return fc.integer({ min: 0, max: MILLIS_PER_DAY - 1 }).map((ms) => new Date(ms));
    case 'org.apache.kafka.connect.data.Timestamp':
      return fc.integer({ min: -8.64e15, max: 8.64e15 }).map((ms) => new Date(ms));
    default:
  }
  switch (schema.type) {
    case 'INT8':
      return fc.integer({ min: -128, max: 127 });
    case 'INT16':
      return fc.integer({ min: -32768, max: 32767 });
    case 'INT32':
      return fc.integer();
    case 'INT64':
      return fc.oneof(
        fc.bigInt({ min: INT64_MIN, max: INT64_MAX }).map(normalizeInt64),
        fc.constantFrom(INT64_MIN, INT64_MAX, 0, -1, Number.MAX_SAFE_INTEGER, 2n ** 53n + 2n),
      );
    case 'FLOAT32':
      return fc.float({ noNaN: true });
    case 'FLOAT64':
      return fc.double({ noNaN: true });
    case 'BOOLEAN':
      return fc.boolean();
    case 'STRING':
      return fc.string({ unit: 'binary' });
    case 'BYTES':
      return fc.uint8Array({ maxLength: 16 }).map((a) => Buffer.from(a));
    case 'ARRAY':
      return fc.array(valueArb(schema.valueSchema as Schema), { maxLength: 4 });
    case 'MAP':
      return fc
        .array(fc.tuple(requiredValueArb(schema.keySchema as Schema), valueArb(schema.valueSchema as Schema)), { maxLength: 4 })
        .map((entries) => new Map(entries));
    case 'STRUCT': {
      const fields = schema.fields ?? [];
      return fc.tuple(...fields.map((f) => valueArb(f.schema))).map((values) => {
        const s = new Struct(schema);
        fields.forEach((f, i) => s.put(f.name, values[i]));
        return s;
      });
    }
  }
}

const schemaAndValue = schemaArb.chain((schema) => valueArb(schema).map((value) => ({ schema, value })));

function configured(props: Record<string, string>): JsonConverter {
  const c = new JsonConverter();
  c.configure(props, false);
  return c;
}

describe('JsonConverter round trips (property)', () => {
  for (const decimalFormat of ['BASE64', 'NUMERIC']) {
    it(`toConnectData(fromConnectData(schema, value)) gives back the schema and value (decimal.format=${decimalFormat})`, () => {
      const c = configured({ 'decimal.format': decimalFormat });
      fc.assert(
        fc.property(schemaAndValue, ({ schema, value }) => {
          const back = c.toConnectData('t', c.fromConnectData('t', schema, value));
          expect(schemaEquals(back.schema, schema)).toBe(true);
          expect(valuesEqual(back.value, value)).toBe(true);
        }),
        { numRuns: 300 },
      );
    });
  }

  it('keeps schemaless JSON values (objects, arrays, numbers, strings) with schemas disabled', () => {
    const c = configured({ 'schemas.enable': 'false' });
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const back = c.toConnectData('t', c.fromConnectData('t', null, value));
        expect(back.schema).toBeNull();
        expect(valuesEqual(back.value, value ?? null)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps every INT64, including the edges, exactly', () => {
    const c = configured({});
    fc.assert(
      fc.property(fc.bigInt({ min: INT64_MIN, max: INT64_MAX }), (n) => {
        const back = c.toConnectData('t', c.fromConnectData('t', Schemas.INT64, n)).value;
        expect(BigInt(back as number | bigint)).toBe(n);
        expect(typeof back === 'number' ? Number.isSafeInteger(back) : true).toBe(true);
      }),
    );
  });
});
