import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lib/config/config-def.ts';
import { DataError, SchemaBuilder, Schemas, Struct } from '../../../lib/plugins/connect-schema.ts';
import { Filter } from '../../../lib/transforms/filter-transform.ts';
import { compileJavaRegex, fullyMatches, replaceFirstJava } from '../../../lib/transforms/java-regex.ts';
import { RegexRouter } from '../../../lib/transforms/regex-router-transform.ts';
import { ReplaceField } from '../../../lib/transforms/replace-field-transform.ts';
import { SetSchemaMetadata } from '../../../lib/transforms/set-schema-metadata-transform.ts';
import { ValueToKey } from '../../../lib/transforms/value-to-key-transform.ts';
import { applied, configured, sinkRecord, sourceRecord } from './fixtures.ts';

describe('RegexRouter', () => {
  it('rewrites topics that fully match, with Java group references', () => {
    const t = configured(new RegexRouter(), { regex: '(.*)-(\\d+)', replacement: 'archive.$1.v$2' });
    expect(applied(t, sourceRecord({ topic: 'orders-7' })).topic).toBe('archive.orders.v7');
    const named = configured(new RegexRouter(), { regex: '(?<name>[a-z]+)_raw', replacement: '${name}' });
    expect(applied(named, sourceRecord({ topic: 'users_raw' })).topic).toBe('users');
  });

  it('leaves non-matching topics (including partial matches) alone', () => {
    const t = configured(new RegexRouter(), { regex: 'ord', replacement: 'x' });
    const r = sourceRecord({ topic: 'orders' });
    expect(t.apply(r)).toBe(r);
  });

  it('supports Java inline flags and escaped $ in replacements', () => {
    const t = configured(new RegexRouter(), { regex: '(?i)ORDERS', replacement: 'cost\\$' });
    expect(applied(t, sourceRecord({ topic: 'orders' })).topic).toBe('cost$');
  });

  it('keeps sink record identity fields', () => {
    const t = configured(new RegexRouter(), { regex: '.*', replacement: 'all' });
    const out = applied(t, sinkRecord({ topic: 'x' }));
    expect(out).toMatchObject({ topic: 'all', kafkaOffset: 42, kafkaPartition: 3 });
  });

  it('rejects invalid patterns and replacements with ConfigError', () => {
    expect(() => configured(new RegexRouter(), { regex: '(', replacement: 'x' })).toThrow(/Invalid regex/);
    expect(() => configured(new RegexRouter(), { regex: 'a', replacement: 'x\\' })).toThrow(ConfigError);
    expect(() => configured(new RegexRouter(), { regex: '(a)', replacement: '$2' })).toThrow(/No group 2/);
    expect(() => configured(new RegexRouter(), { regex: '(a)', replacement: '${name}' })).toThrow(/No group with name/);
    expect(() => compileJavaRegex('a++')).toThrow();
  });

  it('is the identity on topics the regex does not match (property)', () => {
    const t = configured(new RegexRouter(), { regex: 'prefix-(.*)', replacement: '$1' });
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.startsWith('prefix-')),
        (topic) => {
          expect(applied(t, sourceRecord({ topic })).topic).toBe(topic);
        },
      ),
    );
  });

  it('replaceFirst matches Java semantics on the first match only', () => {
    expect(replaceFirstJava(/a|ab/, 'ab', 'X')).toBe('Xb');
    expect(fullyMatches(/a|ab/, 'ab')).toBe(true);
  });
});

describe('ReplaceField', () => {
  const s = SchemaBuilder.struct().name('r').field('a', Schemas.INT32).field('b', Schemas.STRING).field('c', Schemas.OPTIONAL_INT64).build();
  const v = new Struct(s).put('a', 1).put('b', 'x').put('c', 3);

  it('includes, excludes and renames struct fields', () => {
    const t = configured(new ReplaceField('value'), { include: 'a,b', exclude: 'b', renames: 'a:alpha' });
    const out = applied(t, sourceRecord({ valueSchema: s, value: v }));
    expect(out.valueSchema?.name).toBe('r');
    expect(out.valueSchema?.fields?.map((f) => f.name)).toEqual(['alpha']);
    expect((out.value as Struct).get('alpha')).toBe(1);
  });

  it('accepts the legacy whitelist/blacklist names', () => {
    const t = configured(new ReplaceField('key'), { whitelist: 'a,c', blacklist: 'c' });
    expect(applied(t, sourceRecord({ key: { a: 1, b: 2, c: 3 } })).key).toEqual({ a: 1 });
    const both = configured(new ReplaceField('key'), { include: 'b', whitelist: 'a' });
    expect(applied(both, sourceRecord({ key: { a: 1, b: 2 } })).key).toEqual({ b: 2 });
  });

  it('rejects malformed rename mappings', () => {
    expect(() => configured(new ReplaceField('value'), { renames: 'a:b:c' })).toThrow(/Invalid rename mapping: a:b:c/);
    expect(() => configured(new ReplaceField('value'), { renames: 'a' })).toThrow(ConfigError);
  });

  it('include keeps exactly the included keys that exist (property)', () => {
    const key = fc.constantFrom<string>('a', 'b', 'c', 'd', 'e');
    fc.assert(
      fc.property(fc.dictionary(key, fc.integer()), fc.uniqueArray(key, { minLength: 1 }), (value, include) => {
        const out = applied(configured(new ReplaceField('value'), { include: include.join(',') }), sourceRecord({ value })).value as Record<string, number>;
        expect(Object.keys(out).sort()).toEqual(Object.keys(value).filter((k) => include.includes(k)).sort());
        for (const k of Object.keys(out)) expect(out[k]).toBe(value[k]);
      }),
    );
  });
});

describe('SetSchemaMetadata', () => {
  it('sets name and version and rebinds struct values', () => {
    const s = SchemaBuilder.struct().name('old').version(1).field('a', Schemas.INT32).build();
    const t = configured(new SetSchemaMetadata('value'), { 'schema.name': 'new', 'schema.version': '3' });
    const out = applied(t, sourceRecord({ valueSchema: s, value: new Struct(s).put('a', 1) }));
    expect(out.valueSchema).toMatchObject({ name: 'new', version: 3, type: 'STRUCT' });
    expect((out.value as Struct).schema).toBe(out.valueSchema);
    expect((out.value as Struct).get('a')).toBe(1);
  });

  it('keeps what is not configured, requires a schema, and needs name or version', () => {
    const t = configured(new SetSchemaMetadata('key'), { 'schema.version': '2' });
    expect(applied(t, sourceRecord({ keySchema: new SchemaBuilder('STRING').name('k').build(), key: 'x' })).keySchema).toMatchObject({ name: 'k', version: 2 });
    expect(() => t.apply(sourceRecord({ key: 'x' }))).toThrow('Schema required for [updating schema metadata]');
    expect(() => configured(new SetSchemaMetadata('key'), {})).toThrow('Neither schema name nor version configured');
  });
});

describe('ValueToKey', () => {
  it('builds a struct key from value fields', () => {
    const s = SchemaBuilder.struct().field('id', Schemas.INT64).field('name', Schemas.STRING).build();
    const v = new Struct(s).put('id', 9).put('name', 'n');
    const out = applied(configured(new ValueToKey(), { fields: 'id' }), sourceRecord({ valueSchema: s, value: v }));
    expect(out.keySchema?.fields?.map((f) => [f.name, f.schema])).toEqual([['id', Schemas.INT64]]);
    expect((out.key as Struct).get('id')).toBe(9);
    expect(out.value).toBe(v);
    expect(() => configured(new ValueToKey(), { fields: 'nope' }).apply(sourceRecord({ valueSchema: s, value: v }))).toThrow('Field does not exist: nope');
  });

  it('builds a map key from schemaless values', () => {
    expect(applied(configured(new ValueToKey(), { fields: 'a,z' }), sourceRecord({ value: { a: 1, b: 2 } })).key).toEqual({ a: 1, z: null });
    expect(() => configured(new ValueToKey(), { fields: 'a' }).apply(sourceRecord({ value: 5 }))).toThrow(DataError);
  });
});

describe('Filter', () => {
  it('drops every record', () => {
    expect(configured(new Filter(), {}).apply(sourceRecord())).toBeNull();
  });
});
