import fc from 'fast-check';
import { types } from 'cassandra-driver';
import { describe, expect, it } from 'vitest';
import { convertTime, parseMapping, readField, type FieldRef } from '../../../../lib/connectors/cassandra/cassandra-mapping.ts';
import { parseTableSettings, unmappedTopics } from '../../../../lib/connectors/cassandra/cassandra-sink-config.ts';
import { cqlConverter } from '../../../../lib/connectors/cassandra/cassandra-values.ts';
import type { SinkRecord } from '../../../../lib/plugins/connect-record.ts';
import { SchemaBuilder, Schemas, Struct } from '../../../../lib/plugins/connect-schema.ts';

const record = (over: Partial<SinkRecord>): SinkRecord => ({ topic: 't', kafkaPartition: 0, kafkaOffset: 5, key: null, value: null, ...over });

describe('parseMapping', () => {
  it('reads columns, key and value fields, headers, now(), __ttl and __timestamp', () => {
    const { mapping, errors } = parseMapping('id=key.id, "Name"=value.name,whole = value, h=header.trace.id, at=now(), __ttl=value.ttl, __timestamp=value.ts, k=key.__self');
    expect(errors).toEqual([]);
    expect(mapping.columns.map((c) => [c.column, c.field.source, c.field.path])).toEqual([
      ['id', 'key', ['id']],
      ['Name', 'value', ['name']],
      ['whole', 'value', []],
      ['h', 'header', ['trace.id']],
      ['at', 'now', []],
      ['k', 'key', []],
    ]);
    expect(mapping.ttl?.text).toBe('value.ttl');
    expect(mapping.timestamp?.text).toBe('value.ts');
  });

  it('lists every mistake', () => {
    expect(parseMapping('id key, a=value.x, a=value.y, b=field.z, c=uuid(), =value').errors).toEqual([
      '"id key" is not of the form column=field',
      'the column a is mapped twice',
      'b: the field field.z must be key, value, key.<field>, value.<field>, header.<name> or now()',
      'c: the function uuid() is not supported (only now() is)',
      '"=value" names no column',
    ]);
    expect(parseMapping('').errors).toEqual(['it maps no column']);
  });
});

describe('readField', () => {
  const ref = (text: string): FieldRef => parseMapping(`c=${text}`).mapping.columns[0]?.field as FieldRef;
  const schema = SchemaBuilder.struct().field('id', Schemas.INT32).field('inner', SchemaBuilder.struct().field('x', Schemas.STRING).build()).build();
  const inner = new Struct(schema.fields?.[1]?.schema ?? schema).put('x', 'deep');
  const struct = new Struct(schema).put('id', 7).put('inner', inner);

  it('walks structs, maps and plain objects; a null value has null fields; a field that is not there is missing', () => {
    expect(readField(record({ value: struct }), ref('value.inner.x'))).toEqual({ missing: false, value: 'deep' });
    expect(readField(record({ key: { id: 3 } }), ref('key.id'))).toEqual({ missing: false, value: 3 });
    expect(readField(record({ key: new Map([['id', 4]]) }), ref('key.id'))).toEqual({ missing: false, value: 4 });
    expect(readField(record({ key: 'k1' }), ref('key'))).toEqual({ missing: false, value: 'k1' });
    expect(readField(record({ value: null }), ref('value.name'))).toEqual({ missing: false, value: null });
    expect(readField(record({ value: struct }), ref('value.nope'))).toEqual({ missing: true });
    expect(readField(record({ value: { a: 1 } }), ref('value.b'))).toEqual({ missing: true });
    expect(readField(record({ value: 'text' }), ref('value.b'))).toEqual({ missing: true });
  });

  it('reads the last header of a name, or null', () => {
    const r = record({ headers: [{ key: 'h', value: 'first' }, { key: 'h', value: 'last' }] });
    expect(readField(r, ref('header.h'))).toEqual({ missing: false, value: 'last' });
    expect(readField(r, ref('header.other'))).toEqual({ missing: false, value: null });
  });
});

describe('parseTableSettings', () => {
  it('groups settings by topic, keyspace and table, with the DataStax defaults; topics may hold dots', () => {
    const { tables, errors } = parseTableSettings({
      topics: 'a.b,c',
      'topic.a.b.ks.t1.mapping': 'id=key',
      'topic.a.b.ks.t1.ttl': '60',
      'topic.a.b.ks.t1.ttlTimeUnit': 'minutes',
      'topic.a.b.ks.t2.mapping': 'id=key',
      'topic.a.b.ks.t2.deletesEnabled': 'false',
      'topic.a.b.codec.locale': 'en_US',
    });
    expect(errors).toEqual({});
    expect(tables.map((t) => [t.topic, t.keyspace, t.table, t.ttl, t.ttlTimeUnit, t.timestampTimeUnit, t.consistencyLevel, t.deletesEnabled, t.nullToUnset])).toEqual([
      ['a.b', 'ks', 't1', 60, 'MINUTES', 'MICROSECONDS', 'LOCAL_ONE', true, true],
      ['a.b', 'ks', 't2', -1, 'SECONDS', 'MICROSECONDS', 'LOCAL_ONE', false, true],
    ]);
    expect(unmappedTopics({ topics: 'a.b,c' }, tables)).toEqual(['c']);
  });

  it('reports each bad setting under its own key', () => {
    const { tables, errors } = parseTableSettings({
      'topic.t.ks.tb.ttl': '-5',
      'topic.t.ks.tb.mapping': 'id=key',
      'topic.t.ks.tb.consistencyLevel': 'MOST',
      'topic.t.ks.tb.nullToUnset': 'maybe',
      'topic.t.ks.tb.timestampTimeUnit': 'WEEKS',
      'topic.t.ks.other.ttl': '5',
      'topic.t.ks.q.mapping': 'id=key',
      'topic.t.ks.q.query': 'INSERT …',
    });
    expect(tables).toEqual([]);
    expect(Object.keys(errors).sort()).toEqual([
      'topic.t.ks.other.mapping',
      'topic.t.ks.q.query',
      'topic.t.ks.tb.consistencyLevel',
      'topic.t.ks.tb.nullToUnset',
      'topic.t.ks.tb.timestampTimeUnit',
      'topic.t.ks.tb.ttl',
    ]);
  });
});

describe('convertTime', () => {
  it('truncates toward zero as TimeUnit.convert does', () => {
    expect(convertTime(90, 'MINUTES', 'SECONDS')).toBe(5400n);
    expect(convertTime(1999, 'MILLISECONDS', 'SECONDS')).toBe(1n);
    expect(convertTime(1_700_000_000_123n, 'MILLISECONDS', 'MICROSECONDS')).toBe(1_700_000_000_123_000n);
  });

  it('round-trips through a finer unit', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(2n ** 40n), max: 2n ** 40n }), (n) => convertTime(convertTime(n, 'SECONDS', 'MICROSECONDS'), 'MICROSECONDS', 'SECONDS') === n));
  });
});

describe('toCql', () => {
  const T = types.dataTypes;
  const toCql = cqlConverter(types);
  it('fits Connect values to the column type', () => {
    expect(toCql(5, { code: T.bigint })).toBe(5n);
    expect(toCql('12', { code: T.varint })).toBe(12n);
    expect(toCql(7n, { code: T.int })).toBe(7);
    expect(toCql({ a: 1, b: 2n }, { code: T.text })).toBe('{"a":1,"b":"2"}');
    expect(toCql(true, { code: T.varchar })).toBe('true');
    expect(toCql('true', { code: T.boolean })).toBe(true);
    expect(toCql([1, 2], { code: T.list, info: { code: T.bigint } })).toEqual([1n, 2n]);
    expect(toCql({ k: 1 }, { code: T.map, info: [{ code: T.text }, { code: T.bigint }] })).toEqual(new Map([['k', 1n]]));
    expect(toCql(null, { code: T.text })).toBeNull();
    const udt = { code: T.udt, info: { fields: [{ name: 'x', type: { code: T.int } }, { name: 'y', type: { code: T.text } }] } };
    expect(toCql({ x: 1n, y: 2 }, udt)).toEqual({ x: 1, y: '2' });
  });
});
