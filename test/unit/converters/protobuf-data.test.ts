/**
 * The Connect ↔ Protobuf mapping of the ProtobufConverter, without a registry: the proto3 text
 * written for each kind of Connect schema, and values through encode/decode and back, table by table.
 */
import { describe, expect, it } from 'vitest';
import { TO_OBJECT_OPTIONS, fromProtoValue, toProtoValue } from '../../../lib/converters/protobuf/protobuf-data.ts';
import { indexesOf, messageAt, parseProtoFile } from '../../../lib/converters/protobuf/protobuf-files.ts';
import { ENUM_PARAM, TAG_PARAM, UNION_PREFIX, toConnectSchema, toProtoText, type ProtobufDataOptions } from '../../../lib/converters/protobuf/protobuf-schema-data.ts';
import { readMessageIndexes, writeMessageIndexes } from '../../../lib/converters/protobuf/protobuf-converter.ts';
import { Decimal } from '../../../lib/converters/logical-types.ts';
import { SchemaBuilder, Schemas, Struct } from '../../../lib/plugins/connect-schema.ts';
import type { Schema } from '../../../lib/plugins/connect-schema.ts';
import { ORDER, PAYMENT, order, plainValue as plain } from '../../support/protobuf-every-kind.ts';

const PLAIN: ProtobufDataOptions = { enhanced: true, wrapperForNullables: false, optionalForNullables: false };
const OPTIONAL: ProtobufDataOptions = { ...PLAIN, optionalForNullables: true };
const WRAPPERS: ProtobufDataOptions = { ...PLAIN, wrapperForNullables: true };

function roundTrip(schema: Schema, value: Struct, opts: ProtobufDataOptions): { text: string; schema: Schema; value: Struct } {
  const { text, fullName } = toProtoText(schema, opts);
  const file = parseProtoFile(text);
  const type = file.root.lookupType(fullName);
  const bytes = type.encode(type.fromObject(toProtoValue(schema, value, type) as Record<string, unknown>)).finish();
  const readType = messageAt(parseProtoFile(text), indexesOf(file, fullName));
  const readSchema = toConnectSchema(readType, opts);
  return { text, schema: readSchema, value: fromProtoValue(readSchema, readType.toObject(readType.decode(bytes), TO_OBJECT_OPTIONS), readType) as Struct };
}

describe('Protobuf schema mapping (Connect → proto3)', () => {
  const { text } = toProtoText(ORDER, PLAIN);
  it.each([
    ['package and imports of the logical types and field meta', /package shop;\nimport "confluent\/meta.proto";\nimport "confluent\/type\/decimal.proto";\nimport "google\/protobuf\/timestamp.proto";\nimport "google\/type\/date.proto";\nimport "google\/type\/timeofday.proto";/],
    ['INT8/INT16 as int32 with connect.type meta', /int32 tiny = 2 \[\(confluent.field_meta\) = \{ params: \[\{ key: "connect.type", value: "int8" \}\] \}\];/],
    ['Decimal as confluent.type.Decimal with its scale', /confluent.type.Decimal price = 7 \[\(confluent.field_meta\) = \{ params: \[\{ key: "scale", value: "2" \}\] \}\];/],
    ['Date, Time, Timestamp as google types', /google.type.Date day = 8;\n {2}google.type.TimeOfDay clock = 9;\n {2}google.protobuf.Timestamp at = 10;/],
    ['an enum from the Enum parameters', /enum Status \{\n {4}UNKNOWN = 0;\n {4}PAID = 1;\n {4}SHIPPED = 5;\n {2}\}/],
    ['a oneof from a Union struct, tags from the Tag parameter', /oneof payment \{\n {4}string card = 20;\n {4}int64 points = 21;\n {2}\}/],
    ['nested structs as one nested message', /message Address \{\n {4}string street = 1;\n {4}int32 zip = 2;\n {2}\}/],
    ['arrays as repeated', /repeated Address history = 13;\n {2}repeated string tags = 14;/],
    ['maps with scalar keys as map<>', /map<string, int64> attrs = 15;/],
    ['maps with struct keys or repeated values as entry messages', /repeated By_addressEntry by_address = 16;|repeated ByAddressEntry by_address = 16;/],
  ])('%s', (_what, pattern) => {
    expect(text).toMatch(pattern);
  });

  it('optional primitives: plain, proto3 optional, or wrappers by config', () => {
    const s = SchemaBuilder.struct().name('N').field('a', Schemas.OPTIONAL_STRING).field('b', Schemas.OPTIONAL_INT64).build();
    expect(toProtoText(s, PLAIN).text).toContain('string a = 1;');
    expect(toProtoText(s, OPTIONAL).text).toContain('optional string a = 1;');
    const w = toProtoText(s, WRAPPERS).text;
    expect(w).toContain('import "google/protobuf/wrappers.proto";');
    expect(w).toContain('google.protobuf.StringValue a = 1;');
    expect(w).toContain('google.protobuf.Int64Value b = 2;');
  });

  it('rejects what Protobuf cannot hold: a non-STRUCT root, arrays of arrays', () => {
    expect(() => toProtoText(Schemas.STRING, PLAIN)).toThrow(/root schema of type STRING/);
    const nested = SchemaBuilder.struct().name('X').field('m', SchemaBuilder.array(SchemaBuilder.array(Schemas.INT32).build()).build()).build();
    expect(() => toProtoText(nested, PLAIN)).toThrow(/ARRAY inside an ARRAY/);
  });
});

describe('Protobuf value mapping (round trip through the wire)', () => {
  it.each([0, 1, 2, 7])('record %i round-trips field by field', (n) => {
    const record = order(n);
    const back = roundTrip(ORDER, record, OPTIONAL);
    for (const f of ORDER.fields ?? []) {
      const name = f.schema.name?.startsWith(UNION_PREFIX) ? 'payment_0' : f.name;
      expect({ field: f.name, value: plain(back.value.get(name)) }).toEqual({ field: f.name, value: plain(record.get(f.name)) });
    }
  });

  it('reads back the Connect schema Confluent derives: logical types, enum parameters, union struct, maps, tags', () => {
    const s = roundTrip(ORDER, order(0), PLAIN).schema;
    const field = (name: string): Schema => s.fields?.find((f) => f.name === name)?.schema as Schema;
    expect(s.name).toBe('shop.Order');
    expect(s.fields?.[0]?.name).toBe('payment_0'); // oneofs first, as ProtobufData
    expect(field('payment_0').name).toBe(`${UNION_PREFIX}payment`);
    expect(field('tiny').type).toBe('INT8');
    expect(field('small').type).toBe('INT16');
    expect(field('price')).toMatchObject({ name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '2' } });
    expect(field('day').name).toBe('org.apache.kafka.connect.data.Date');
    expect(field('clock').name).toBe('org.apache.kafka.connect.data.Time');
    expect(field('at').name).toBe('org.apache.kafka.connect.data.Timestamp');
    expect(field('status')).toMatchObject({ type: 'STRING', parameters: { [ENUM_PARAM]: 'Status', [`${ENUM_PARAM}.SHIPPED`]: '5' } });
    expect(field('by_address')).toMatchObject({ type: 'MAP', keySchema: { type: 'STRUCT' }, valueSchema: { type: 'STRING' } });
    expect(field('groups')).toMatchObject({ type: 'MAP', valueSchema: { type: 'ARRAY' } });
    expect(field('history').parameters?.[TAG_PARAM]).toBe('13');
    // Written again from what was read, the same declarations come out (tags kept; the oneof moves first).
    const lines = (t: string): string[] => t.split('\n').sort();
    expect(lines(toProtoText(s, PLAIN).text)).toEqual(lines(toProtoText(ORDER, PLAIN).text));
  });

  it('without enhanced schema support the Connect name drops the package, as Confluent', () => {
    expect(roundTrip(ORDER, order(1), { ...PLAIN, enhanced: false }).schema.name).toBe('Order');
  });

  it.each([
    ['plain fields read null as the default', PLAIN, { note: '', count: 0 }],
    ['proto3 optional keeps null', OPTIONAL, { note: null, count: null }],
    ['wrappers keep null', WRAPPERS, { note: null, count: null }],
  ])('%s', (_what, opts, expected) => {
    const s = SchemaBuilder.struct().name('N').field('note', Schemas.OPTIONAL_STRING).field('count', Schemas.OPTIONAL_INT32).build();
    const back = roundTrip(s, new Struct(s).put('note', null).put('count', null), opts).value;
    expect({ note: back.get('note'), count: back.get('count') }).toEqual(expected);
    const set = roundTrip(s, new Struct(s).put('note', 'x').put('count', 0), opts).value;
    expect({ note: set.get('note'), count: set.get('count') }).toEqual({ note: 'x', count: 0 });
  });

  it('reads a foreign file: nested message by index path, Confluent list-form field meta, wrappers', () => {
    const text = [
      'syntax = "proto3";',
      'package acme;',
      'import "google/protobuf/wrappers.proto";',
      'import "confluent/meta.proto";',
      'import "confluent/type/decimal.proto";',
      'message Outer {',
      '  message Inner { google.protobuf.StringValue label = 1; confluent.type.Decimal amount = 2 [(confluent.field_meta) = { params: [ { key: "precision", value: "9" }, { key: "scale", value: "3" } ] }]; }',
      '  Inner inner = 1;',
      '}',
    ].join('\n');
    const file = parseProtoFile(text);
    expect(indexesOf(file, 'acme.Outer.Inner')).toEqual([0, 0]);
    const inner = messageAt(file, [0, 0]);
    const schema = toConnectSchema(inner, PLAIN);
    expect(schema.fields?.map((f) => [f.name, f.schema.type, f.schema.parameters?.scale])).toEqual([
      ['label', 'STRING', undefined],
      ['amount', 'BYTES', '3'],
    ]);
    const bytes = inner.encode(inner.fromObject({ label: { value: 'hi' }, amount: { value: Buffer.from([0x30, 0x39]), precision: 5, scale: 3 } })).finish();
    const v = fromProtoValue(schema, inner.toObject(inner.decode(bytes), TO_OBJECT_OPTIONS), inner) as Struct;
    expect(v.get('label')).toBe('hi');
    expect((v.get('amount') as Decimal).toPlainString()).toBe('12.345');
  });

  it('message indexes: [0] is one zero byte, other paths count then zigzag indexes', () => {
    expect(writeMessageIndexes([0])).toEqual(Buffer.from([0]));
    expect(writeMessageIndexes([1, 0, 2])).toEqual(Buffer.from([6, 2, 0, 4]));
    for (const path of [[0], [1], [0, 3], [2, 0, 1]]) expect(readMessageIndexes(Buffer.concat([writeMessageIndexes(path), Buffer.from([9])])).indexes).toEqual(path);
  });

  it('a struct holding the Union struct with no member set, or a null array element, is a data error', () => {
    const bad = new Struct(ORDER);
    for (const f of ORDER.fields ?? []) bad.put(f.name, order(0).get(f.name));
    bad.put('payment', new Struct(PAYMENT));
    expect(() => roundTrip(ORDER, bad, PLAIN)).toThrow(/Union payment has no field set/);
    bad.put('payment', null).put('tags', ['a', null]);
    expect(() => roundTrip(ORDER, bad, PLAIN)).toThrow(/cannot hold null/);
  });

});
