/** Unit tests of the DynamoDB sink's key references and attribute mapping. */
import { describe, expect, it } from 'vitest';
import { keyAttribute, toItem } from '../../../../lib/connectors/dynamodb/dynamodb-item-mapper.ts';
import { parseKeyReference } from '../../../../lib/connectors/dynamodb/dynamodb-sink-config.ts';
import { Decimal, decimalSchema, timestampSchema } from '../../../../lib/converters/logical-types.ts';
import type { SinkRecord } from '../../../../lib/plugins/connect-record.ts';
import { SchemaBuilder, Schemas, Struct } from '../../../../lib/plugins/connect-schema.ts';

const rec = (value: unknown, extra: Partial<SinkRecord> = {}): SinkRecord => ({ topic: 't', kafkaPartition: 2, kafkaOffset: 41, value, ...extra });

describe('key references', () => {
  it('parses references with and without aliases', () => {
    expect(parseKeyReference('partition', 'k')).toEqual({ source: 'partition', path: [], attribute: 'partition' });
    expect(parseKeyReference('value.user.id:uid', 'k')).toEqual({ source: 'value', path: ['user', 'id'], attribute: 'uid' });
    expect(parseKeyReference('key', 'k').attribute).toBe('key');
    expect(() => parseKeyReference('value', 'aws.dynamodb.pk.hash')).toThrow(/aws.dynamodb.pk.hash/);
    expect(() => parseKeyReference('offset.x', 'k')).toThrow(/expected partition/);
    expect(() => parseKeyReference('key:', 'k')).toThrow(/empty attribute name/);
  });

  it('reads keys from the record, failing on missing or non-scalar keys with the record named', () => {
    expect(keyAttribute(parseKeyReference('offset', 'k'), rec(1))).toEqual(['offset', { N: '41' }]);
    expect(keyAttribute(parseKeyReference('key.id:pk', 'k'), rec(1, { key: { id: 'a' } }))).toEqual(['pk', { S: 'a' }]);
    expect(() => keyAttribute(parseKeyReference('value.id', 'k'), rec({ other: 1 }))).toThrow(/value.id is missing or null in record at topic 't', partition 2, offset 41/);
    expect(() => keyAttribute(parseKeyReference('value.tags', 'k'), rec({ tags: ['x'] }))).toThrow(/not a string, number or bytes/);
  });
});

describe('items', () => {
  it('maps structs, maps, arrays and logical types to attribute values', () => {
    const inner = SchemaBuilder.struct().field('city', Schemas.STRING).build();
    const schema = SchemaBuilder.struct()
      .field('n', Schemas.INT64)
      .field('ok', Schemas.BOOLEAN)
      .field('price', decimalSchema(2))
      .field('at', timestampSchema())
      .field('raw', Schemas.OPTIONAL_BYTES)
      .field('list', SchemaBuilder.array(Schemas.INT32).build())
      .field('m', SchemaBuilder.map(Schemas.STRING, Schemas.STRING).build())
      .field('addr', inner)
      .build();
    const v = new Struct(schema)
      .put('n', 9007199254740993n)
      .put('ok', true)
      .put('price', new Decimal(1234n, 2))
      .put('at', new Date(1_700_000_000_000))
      .put('raw', null)
      .put('list', [1, 2])
      .put('m', new Map([['a', 'b']]))
      .put('addr', new Struct(inner).put('city', 'Oslo'));
    expect(toItem(rec(v, { valueSchema: schema }), [['pk', { S: 'k' }]])).toEqual({
      n: { N: '9007199254740993' },
      ok: { BOOL: true },
      price: { N: '12.34' },
      at: { N: '1700000000000' },
      raw: { NULL: true },
      list: { L: [{ N: '1' }, { N: '2' }] },
      m: { M: { a: { S: 'b' } } },
      addr: { M: { city: { S: 'Oslo' } } },
      pk: { S: 'k' },
    });
    expect(toItem(rec('plain'), [['pk', { N: '1' }]])).toEqual({ value: { S: 'plain' }, pk: { N: '1' } });
    expect(toItem(rec({ a: [1, { b: null }] }), [])).toEqual({ a: { L: [{ N: '1' }, { M: { b: { NULL: true } } }] } });
  });
});
