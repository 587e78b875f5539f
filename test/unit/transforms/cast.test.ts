import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lib/config/config-def.ts';
import { Decimal, decimalSchema, timestampSchema } from '../../../lib/converters/logical-types.ts';
import { DataError, SchemaBuilder, Schemas, Struct } from '../../../lib/plugins/connect-schema.ts';
import { Cast, castValue, parseCastSpec } from '../../../lib/transforms/cast-transform.ts';
import { applied, configured, sourceRecord } from './fixtures.ts';

describe('Cast config', () => {
  it('parses field specs and a whole-value spec', () => {
    expect(parseCastSpec(['a:int8', 'b: STRING'])).toEqual(new Map([['a', 'INT8'], ['b', 'STRING']]));
    expect([...parseCastSpec(['float64']).values()]).toEqual(['FLOAT64']);
  });

  it('rejects bad specs with ConfigError, as Connect does', () => {
    expect(() => configured(new Cast('value'), {})).toThrow(/Missing required configuration "spec"/);
    expect(() => configured(new Cast('value'), { spec: 'a:int8,int32' })).toThrow(/may only specify a single cast/);
    expect(() => configured(new Cast('value'), { spec: 'a:bytes' })).toThrow(/does not support casting to BYTES/);
    expect(() => configured(new Cast('value'), { spec: 'a:nope' })).toThrow(/Invalid type found in casting spec: nope/);
    expect(() => configured(new Cast('value'), { spec: 'a:b:c' })).toThrow(ConfigError);
  });
});

describe('Cast$Value with a schema', () => {
  const schema = SchemaBuilder.struct()
    .name('n')
    .field('big', Schemas.INT64)
    .field('f', Schemas.FLOAT64)
    .field('flag', Schemas.BOOLEAN)
    .field('txt', Schemas.OPTIONAL_STRING)
    .field('raw', Schemas.BYTES)
    .field('keep', Schemas.INT32)
    .build();
  const value = new Struct(schema).put('big', 300).put('f', 2.9).put('flag', true).put('txt', '17').put('raw', Buffer.from('hi')).put('keep', 5);

  it('casts fields and rewrites the schema, keeping other fields', () => {
    const t = configured(new Cast('value'), { spec: 'big:int8,f:int32,flag:string,txt:int16,raw:string' });
    const out = applied(t, sourceRecord({ valueSchema: schema, value }));
    const s = out.value as Struct;
    expect(out.valueSchema?.name).toBe('n');
    expect(out.valueSchema?.fields?.map((f) => [f.name, f.schema.type, f.schema.optional])).toEqual([
      ['big', 'INT8', false],
      ['f', 'INT32', false],
      ['flag', 'STRING', false],
      ['txt', 'INT16', true],
      ['raw', 'STRING', false],
      ['keep', 'INT32', false],
    ]);
    expect(s.get('big')).toBe(44); // 300 wraps like Java's byteValue()
    expect(s.get('f')).toBe(2);
    expect(s.get('flag')).toBe('true');
    expect(s.get('txt')).toBe(17);
    expect(s.get('raw')).toBe('aGk=');
    expect(s.get('keep')).toBe(5);
  });

  it('casts the whole value, keeping schema metadata', () => {
    const t = configured(new Cast('key'), { spec: 'string' });
    const out = applied(t, sourceRecord({ keySchema: Schemas.FLOAT64, key: 1 }));
    expect(out.keySchema?.type).toBe('STRING');
    expect(out.key).toBe('1.0');
  });

  it('casts logical Timestamp to its epoch millis when target is numeric', () => {
    expect(castValue(timestampSchema(), new Date(1234), 'INT64')).toBe(1234);
    expect(castValue(timestampSchema(), new Date(Date.UTC(2020, 0, 1, 1)), 'STRING')).toBe('2020-01-01T01:00:00.000Z');
    expect(castValue(decimalSchema(2), new Decimal(12345n, 2), 'INT32')).toBe(123);
  });

  it('passes null values through and fails on unparsable strings', () => {
    const t = configured(new Cast('value'), { spec: 'int32' });
    const record = sourceRecord({ valueSchema: Schemas.OPTIONAL_STRING, value: null });
    expect(t.apply(record)).toBe(record);
    expect(() => t.apply(sourceRecord({ valueSchema: Schemas.STRING, value: 'x1' }))).toThrow(DataError);
    expect(() => t.apply(sourceRecord({ valueSchema: Schemas.STRING, value: '99999999999' }))).toThrow(/out of range/);
  });

  it('refuses casting from unsupported types', () => {
    const t = configured(new Cast('value'), { spec: 'string' });
    expect(() => t.apply(sourceRecord({ valueSchema: SchemaBuilder.array(Schemas.INT8).build(), value: [1] }))).toThrow(
      /does not support casting from ARRAY/,
    );
  });
});

describe('Cast$Value schemaless', () => {
  it('casts map entries and leaves the rest', () => {
    const t = configured(new Cast('value'), { spec: 'a:boolean,b:float32,missing:int8' });
    const out = applied(t, sourceRecord({ value: { a: 'TRUE', b: '0.1', c: 'x' } }));
    expect(out.value).toEqual({ a: true, b: Math.fround(0.1), c: 'x', missing: null });
  });

  it('requires a map for field casts', () => {
    const t = configured(new Cast('value'), { spec: 'a:int8' });
    expect(() => t.apply(sourceRecord({ value: 'text' }))).toThrow(/Only Map objects supported/);
  });
});

describe('Cast properties', () => {
  it('int32 → string → int32 round-trips', () => {
    fc.assert(
      fc.property(fc.integer(), (n) => {
        expect(castValue(Schemas.STRING, castValue(Schemas.INT32, n, 'STRING'), 'INT32')).toBe(n);
      }),
    );
  });

  it('float64 → string → float64 round-trips', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (d) => {
        expect(castValue(Schemas.STRING, castValue(Schemas.FLOAT64, d, 'STRING'), 'FLOAT64')).toBe(d);
      }),
    );
  });

  it('widening an int8 to int64 and back is the identity; narrowing wraps like two\'s complement', () => {
    fc.assert(
      fc.property(fc.integer({ min: -128, max: 127 }), fc.integer(), (small, any) => {
        expect(castValue(Schemas.INT64, castValue(Schemas.INT8, small, 'INT64'), 'INT8')).toBe(small);
        expect(castValue(Schemas.INT32, any, 'INT8')).toBe(((any << 24) >> 24));
      }),
    );
  });
});
