import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lib/config/config-def.ts';
import { Decimal, decimalSchema, timestampSchema } from '../../../lib/converters/logical-types.ts';
import { DataError, SchemaBuilder, Schemas, Struct } from '../../../lib/plugins/connect-schema.ts';
import { DropHeaders } from '../../../lib/transforms/drop-headers-transform.ts';
import { HeaderFrom } from '../../../lib/transforms/header-from-transform.ts';
import { InsertField } from '../../../lib/transforms/insert-field-transform.ts';
import { InsertHeader } from '../../../lib/transforms/insert-header-transform.ts';
import { MaskField } from '../../../lib/transforms/mask-field-transform.ts';
import { applied, configured, sinkRecord, sourceRecord } from './fixtures.ts';

const schema = SchemaBuilder.struct().name('s').field('a', Schemas.INT32).field('b', Schemas.OPTIONAL_STRING).build();
const value = new Struct(schema).put('a', 1).put('b', 'x');

describe('InsertField', () => {
  it('adds topic, partition, offset, timestamp and static fields with a schema', () => {
    const t = configured(new InsertField('value'), {
      'topic.field': 'topic!',
      'partition.field': 'part',
      'offset.field': 'off',
      'timestamp.field': 'ts',
      'static.field': 'src',
      'static.value': 'db1',
    });
    const out = applied(t, sinkRecord({ valueSchema: schema, value, timestamp: 1000 }));
    const fields = out.valueSchema?.fields?.map((f) => [f.name, f.schema.type, f.schema.optional]);
    expect(fields).toEqual([
      ['a', 'INT32', false],
      ['b', 'STRING', true],
      ['topic', 'STRING', false],
      ['part', 'INT32', true],
      ['off', 'INT64', true],
      ['ts', 'INT64', true],
      ['src', 'STRING', true],
    ]);
    expect(out.valueSchema?.fields?.find((f) => f.name === 'ts')?.schema).toEqual(timestampSchema(true));
    const s = out.value as Struct;
    expect([s.get('a'), s.get('topic'), s.get('part'), s.get('off'), s.get('ts'), s.get('src')]).toEqual([1, 'orders', 3, 42, new Date(1000), 'db1']);
  });

  it('adds fields to schemaless maps, timestamp as epoch millis', () => {
    const t = configured(new InsertField('key'), { 'topic.field': 't', 'timestamp.field': 'ts' });
    expect(applied(t, sourceRecord({ key: { id: 1 }, timestamp: 5 })).key).toEqual({ id: 1, t: 'orders', ts: 5 });
  });

  it('requires a sink record for offset.field and some field to insert', () => {
    const t = configured(new InsertField('value'), { 'offset.field': 'o' });
    expect(() => t.apply(sourceRecord({ value: {} }))).toThrow(/Only SinkRecord supported/);
    expect(() => configured(new InsertField('value'), {})).toThrow('No field insertion configured');
    expect(() => configured(new InsertField('value'), { 'static.field': 'x' })).toThrow(/No value specified for static field/);
  });

  it('passes tombstones through', () => {
    const t = configured(new InsertField('value'), { 'topic.field': 't' });
    const r = sourceRecord({ value: null });
    expect(t.apply(r)).toBe(r);
  });
});

describe('MaskField', () => {
  it('masks with type-appropriate empty values', () => {
    const s = SchemaBuilder.struct()
      .field('i', Schemas.INT32)
      .field('str', Schemas.STRING)
      .field('bool', Schemas.BOOLEAN)
      .field('dec', decimalSchema(2))
      .field('arr', SchemaBuilder.array(Schemas.INT32).build())
      .field('keep', Schemas.STRING)
      .build();
    const v = new Struct(s).put('i', 5).put('str', 'secret').put('bool', true).put('dec', new Decimal(123n, 2)).put('arr', [1]).put('keep', 'k');
    const out = applied(configured(new MaskField('value'), { fields: 'i,str,bool,dec,arr' }), sourceRecord({ valueSchema: s, value: v }));
    const m = out.value as Struct;
    expect([m.get('i'), m.get('str'), m.get('bool'), m.get('dec'), m.get('arr'), m.get('keep')]).toEqual([0, '', false, new Decimal(0n, 2), [], 'k']);
    expect(out.valueSchema).toBe(s);
  });

  it('masks with a replacement converted to the field type', () => {
    const t = configured(new MaskField('value'), { fields: 'n,s', replacement: '12' });
    expect(applied(t, sourceRecord({ value: { n: 3.5, s: 'abc', o: 1 } })).value).toEqual({ n: 12, s: '12', o: 1 });
    const bad = configured(new MaskField('value'), { fields: 'n', replacement: 'xx' });
    expect(() => bad.apply(sourceRecord({ value: { n: 1 } }))).toThrow(DataError);
    const bool = configured(new MaskField('value'), { fields: 'b', replacement: 'x' });
    expect(() => bool.apply(sourceRecord({ value: { b: true } }))).toThrow(/Cannot mask value of type boolean with custom replacement/);
  });

  it('rejects an empty replacement and an empty field list', () => {
    expect(() => configured(new MaskField('value'), { fields: 'a', replacement: '' })).toThrow(ConfigError);
    expect(() => configured(new MaskField('value'), { fields: '' })).toThrow(/Empty list/);
  });

  it('keeps the JS type of every masked value (property)', () => {
    const kind = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
    const t = configured(new MaskField('value'), { fields: 'a,b,c,d' });
    const leaf = fc.oneof(fc.integer(), fc.double({ noNaN: true }), fc.string(), fc.boolean(), fc.array(fc.integer()), fc.constant(null));
    fc.assert(
      fc.property(fc.record({ a: leaf, b: leaf, c: leaf, d: leaf, e: leaf }), (v) => {
        const out = applied(t, sourceRecord({ value: v })).value as Record<string, unknown>;
        for (const k of ['a', 'b', 'c', 'd'] as const) expect(kind(out[k])).toBe(kind(v[k]));
        expect(out.e).toEqual(v.e);
      }),
    );
  });
});

describe('HeaderFrom', () => {
  it('copies struct fields to headers with their schemas', () => {
    const t = configured(new HeaderFrom('value'), { fields: 'a,b', headers: 'ha,hb', operation: 'copy' });
    const out = applied(t, sourceRecord({ valueSchema: schema, value, headers: [{ key: 'x', value: 1 }] }));
    expect(out.value).toBe(value);
    expect(out.headers).toEqual([
      { key: 'x', value: 1 },
      { key: 'ha', schema: Schemas.INT32, value: 1 },
      { key: 'hb', schema: Schemas.OPTIONAL_STRING, value: 'x' },
    ]);
  });

  it('moves fields out of the value', () => {
    const t = configured(new HeaderFrom('value'), { fields: 'a', headers: 'ha', operation: 'move' });
    const out = applied(t, sourceRecord({ valueSchema: schema, value }));
    expect(out.valueSchema?.fields?.map((f) => f.name)).toEqual(['b']);
    expect((out.value as Struct).get('b')).toBe('x');
    const schemaless = applied(configured(new HeaderFrom('key'), { fields: 'id', headers: 'h', operation: 'move' }), sourceRecord({ key: { id: 1, y: 2 } }));
    expect(schemaless.key).toEqual({ y: 2 });
    expect(schemaless.headers).toEqual([{ key: 'h', schema: null, value: 1 }]);
  });

  it('validates its config', () => {
    expect(() => configured(new HeaderFrom('value'), { fields: 'a,b', headers: 'h', operation: 'copy' })).toThrow(/same number of elements/);
    expect(() => configured(new HeaderFrom('value'), { fields: 'a', headers: 'h', operation: 'steal' })).toThrow(/String must be one of: move, copy/);
  });
});

describe('InsertHeader and DropHeaders', () => {
  it('inserts a header with a value parsed like Connect literals', () => {
    const t = configured(new InsertHeader(), { header: 'n', 'value.literal': '42' });
    expect(applied(t, sourceRecord()).headers).toEqual([{ key: 'n', schema: Schemas.INT8, value: 42 }]);
    const s = configured(new InsertHeader(), { header: 'who', 'value.literal': 'tributary' });
    expect(applied(s, sourceRecord()).headers).toEqual([{ key: 'who', schema: Schemas.STRING, value: 'tributary' }]);
  });

  it('drops every header with a listed name and keeps the others in order', () => {
    const t = configured(new DropHeaders(), { headers: 'a,c' });
    const headers = [
      { key: 'a', value: 1 },
      { key: 'b', value: 2 },
      { key: 'a', value: 3 },
      { key: 'c', value: 4 },
    ];
    expect(applied(t, sourceRecord({ headers })).headers).toEqual([{ key: 'b', value: 2 }]);
    expect(() => configured(new DropHeaders(), {})).toThrow(ConfigError);
  });

  it('InsertHeader then DropHeaders of the same name restores the headers (property)', () => {
    const insert = configured(new InsertHeader(), { header: 'added', 'value.literal': 'v' });
    const drop = configured(new DropHeaders(), { headers: 'added' });
    const header = fc.record({ key: fc.string().filter((k) => k !== 'added'), value: fc.string() });
    fc.assert(
      fc.property(fc.array(header), (headers) => {
        expect(applied(drop, applied(insert, sourceRecord({ headers }))).headers).toEqual(headers);
      }),
    );
  });
});
