import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lib/config/config-def.ts';
import { DataError, SchemaBuilder, Schemas, Struct, valuesEqual } from '../../../lib/plugins/connect-schema.ts';
import { ExtractField } from '../../../lib/transforms/extract-field-transform.ts';
import { SingleFieldPath } from '../../../lib/transforms/field-path.ts';
import { Flatten } from '../../../lib/transforms/flatten-transform.ts';
import { HoistField } from '../../../lib/transforms/hoist-field-transform.ts';
import { applied, configured, sourceRecord } from './fixtures.ts';

const inner = SchemaBuilder.struct().field('zip', Schemas.STRING).field('n', Schemas.OPTIONAL_INT32).build();
const outer = SchemaBuilder.struct().name('outer').field('id', Schemas.INT64).field('addr', inner).field('tags', SchemaBuilder.array(Schemas.STRING).build()).build();
const value = new Struct(outer).put('id', 1).put('addr', new Struct(inner).put('zip', '1000').put('n', null)).put('tags', ['a']);

describe('ExtractField', () => {
  it('extracts a struct field with its schema', () => {
    const t = configured(new ExtractField('value'), { field: 'addr' });
    const out = applied(t, sourceRecord({ valueSchema: outer, value }));
    expect(out.valueSchema).toBe(inner);
    expect((out.value as Struct).get('zip')).toBe('1000');
  });

  it('extracts nested fields with field.syntax.version=V2', () => {
    const t = configured(new ExtractField('value'), { field: 'addr.zip', 'field.syntax.version': 'v2' });
    const out = applied(t, sourceRecord({ valueSchema: outer, value }));
    expect(out.valueSchema).toBe(Schemas.STRING);
    expect(out.value).toBe('1000');
    const schemaless = applied(t, sourceRecord({ value: { addr: { zip: 'x' } } }));
    expect(schemaless.value).toBe('x');
  });

  it('works on the key of schemaless records and passes null through', () => {
    const t = configured(new ExtractField('key'), { field: 'id' });
    expect(applied(t, sourceRecord({ key: { id: 9, other: 1 } })).key).toBe(9);
    expect(applied(t, sourceRecord({ key: { other: 1 } })).key).toBeNull();
    expect(applied(t, sourceRecord({ key: null })).key).toBeNull();
  });

  it('fails on unknown fields with a schema and non-map values without one', () => {
    const t = configured(new ExtractField('value'), { field: 'nope' });
    expect(() => t.apply(sourceRecord({ valueSchema: outer, value }))).toThrow('Unknown field: nope');
    expect(() => t.apply(sourceRecord({ value: 'str' }))).toThrow(DataError);
  });

  it('uses the default for a null field unless replace.null.with.default=false', () => {
    const s = SchemaBuilder.struct().field('x', new SchemaBuilder('INT32').optional().defaultValue(7).build()).build();
    const v = new Struct(s).put('x', null);
    expect(applied(configured(new ExtractField('value'), { field: 'x' }), sourceRecord({ valueSchema: s, value: v })).value).toBe(7);
    const keepNull = configured(new ExtractField('value'), { field: 'x', 'replace.null.with.default': 'false' });
    expect(applied(keepNull, sourceRecord({ valueSchema: s, value: v })).value).toBeNull();
  });

  it('parses V2 paths with backticks and escapes as KIP-821 does', () => {
    expect(new SingleFieldPath('a.b.c', 'V2').steps).toEqual(['a', 'b', 'c']);
    expect(new SingleFieldPath('`a.b`.c', 'V2').steps).toEqual(['a.b', 'c']);
    expect(new SingleFieldPath('a.b', 'V1').steps).toEqual(['a.b']);
    expect(new SingleFieldPath('a.', 'V2').steps).toEqual(['a', '']);
    expect(() => new SingleFieldPath('`a.b', 'V2')).toThrow(ConfigError);
  });
});

describe('HoistField', () => {
  it('wraps a schema\'d value in a single-field struct', () => {
    const t = configured(new HoistField('value'), { field: 'line' });
    const out = applied(t, sourceRecord({ valueSchema: Schemas.STRING, value: 'hello' }));
    expect(out.valueSchema?.fields?.map((f) => [f.name, f.schema])).toEqual([['line', Schemas.STRING]]);
    expect((out.value as Struct).get('line')).toBe('hello');
  });

  it('wraps a schemaless key in a map, even when null', () => {
    const t = configured(new HoistField('key'), { field: 'k' });
    expect(applied(t, sourceRecord({ key: 5 })).key).toEqual({ k: 5 });
    expect(applied(t, sourceRecord({ key: null })).key).toEqual({ k: null });
  });

  it('is undone by ExtractField with the same field (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.jsonValue(), (field, v) => {
        const hoist = configured(new HoistField('value'), { field });
        const extract = configured(new ExtractField('value'), { field });
        const schemaless = applied(extract, applied(hoist, sourceRecord({ value: v })));
        expect(valuesEqual(schemaless.value, v ?? null)).toBe(true);
        const withSchema = applied(extract, applied(hoist, sourceRecord({ valueSchema: Schemas.OPTIONAL_STRING, value: JSON.stringify(v) })));
        expect(withSchema.valueSchema).toBe(Schemas.OPTIONAL_STRING);
        expect(withSchema.value).toBe(JSON.stringify(v));
      }),
    );
  });
});

describe('Flatten', () => {
  it('flattens nested structs with the delimiter, keeping arrays', () => {
    const t = configured(new Flatten('value'), { delimiter: '_' });
    const out = applied(t, sourceRecord({ valueSchema: outer, value }));
    expect(out.valueSchema?.name).toBe('outer');
    expect(out.valueSchema?.fields?.map((f) => f.name)).toEqual(['id', 'addr_zip', 'addr_n', 'tags']);
    const s = out.value as Struct;
    expect([s.get('id'), s.get('addr_zip'), s.get('addr_n'), s.get('tags')]).toEqual([1, '1000', null, ['a']]);
  });

  it('makes fields optional under an optional parent', () => {
    const s = SchemaBuilder.struct().field('p', SchemaBuilder.struct().optional().field('c', Schemas.INT32).build()).build();
    const out = applied(configured(new Flatten('value'), {}), sourceRecord({ valueSchema: s, value: new Struct(s).put('p', null) }));
    expect(out.valueSchema?.fields?.[0]?.schema.optional).toBe(true);
    expect((out.value as Struct).get('p.c')).toBeNull();
  });

  it('flattens schemaless maps', () => {
    const t = configured(new Flatten('key'), {});
    expect(applied(t, sourceRecord({ key: { a: { b: { c: 1 } }, d: [1, { e: 2 }], f: null } })).key).toEqual({ 'a.b.c': 1, d: [1, { e: 2 }], f: null });
  });

  it('rejects maps inside schema\'d values', () => {
    const s = SchemaBuilder.struct().field('m', SchemaBuilder.map(Schemas.STRING, Schemas.STRING).build()).build();
    expect(() => configured(new Flatten('value'), {}).apply(sourceRecord({ valueSchema: s, value: new Struct(s).put('m', new Map()) }))).toThrow(
      /does not support MAP/,
    );
  });

  it('produces keys that are the delimiter-joined leaf paths (property)', () => {
    const key = fc.stringMatching(/^[a-z]{1,4}$/);
    const tree = fc.letrec<{ node: unknown; obj: Record<string, unknown> }>((tie) => ({
      node: fc.oneof({ maxDepth: 3 }, fc.integer(), fc.string(), tie('obj')),
      obj: fc.dictionary(key, tie('node'), { minKeys: 1, maxKeys: 3 }) as fc.Arbitrary<Record<string, unknown>>,
    })).obj;
    const leaves = (o: Record<string, unknown>, prefix: string): [string, unknown][] =>
      Object.entries(o).flatMap(([k, v]) =>
        v !== null && typeof v === 'object' ? leaves(v as Record<string, unknown>, `${prefix}${k}/`) : [[`${prefix}${k}`, v] as [string, unknown]],
      );
    fc.assert(
      fc.property(tree, (obj) => {
        const out = applied(configured(new Flatten('value'), { delimiter: '/' }), sourceRecord({ value: obj })).value as Record<string, unknown>;
        expect(Object.entries(out).sort()).toEqual(leaves(obj, '').sort());
      }),
    );
  });
});
