/**
 * io.confluent.connect.protobuf.ProtobufConverter against a real Schema Registry: Connect structs
 * round-trip through proto3, the wire format carries Confluent's message indexes, and a schema
 * another writer registered (a second message, index path [1]) reads as Connect data.
 * No peer runs here: no Protobuf converter or serializer that writes Confluent's message indexes is
 * published on Maven Central in a version that works with this registry (Apicurio's 2.x Protobuf
 * serde frames messages with its own Ref message; its Connect ProtobufConverter is unreleased).
 */
import protobuf from 'protobufjs';
import { describe, expect, inject, it } from 'vitest';
import { ProtobufConverter, readMessageIndexes } from '../../../lib/converters/protobuf/protobuf-converter.ts';
import { SchemaBuilder, Schemas, Struct } from '../../../lib/plugins/connect-schema.ts';
import { uniqueName } from '../../support/local-host-process.ts';
import { ORDER as EVERY_KIND, order as everyKind, plainValue } from '../../support/protobuf-every-kind.ts';

const registryUrl = inject('schemaRegistryUrl');

function converter(extra: Record<string, string> = {}): ProtobufConverter {
  const c = new ProtobufConverter();
  c.configure({ 'schema.registry.url': registryUrl, 'enhanced.protobuf.schema.support': 'true', 'optional.for.nullables': 'true', ...extra }, false);
  return c;
}

const ITEM = SchemaBuilder.struct().name('com.example.Item').field('sku', Schemas.STRING).field('qty', Schemas.INT32).build();
const ORDER = SchemaBuilder.struct()
  .name('com.example.Order')
  .field('id', Schemas.INT64)
  .field('small', Schemas.INT16)
  .field('price', Schemas.FLOAT64)
  .field('ratio', Schemas.FLOAT32)
  .field('paid', Schemas.BOOLEAN)
  .field('note', Schemas.OPTIONAL_STRING)
  .field('count', Schemas.OPTIONAL_INT32)
  .field('blob', Schemas.BYTES)
  .field('tags', SchemaBuilder.array(Schemas.STRING).build())
  .field('attrs', SchemaBuilder.map(Schemas.STRING, Schemas.INT64).build())
  .field('items', SchemaBuilder.array(ITEM).build())
  .field('first', SchemaBuilder.struct().name('com.example.Item2').field('sku', Schemas.STRING).optional().build())
  .build();

function order(n: number): Struct {
  const first = ORDER.fields?.find((f) => f.name === 'first')?.schema;
  return new Struct(ORDER)
    .put('id', n % 2 ? 2n ** 62n + BigInt(n) : n)
    .put('small', n === 0 ? 0 : -n)
    .put('price', n / 4)
    .put('ratio', Math.fround(n / 8))
    .put('paid', n % 2 === 0)
    .put('note', n % 2 ? null : `note ${n}`)
    .put('count', n % 2 ? null : 0)
    .put('blob', Buffer.from([n, 0, 255]))
    .put('tags', [`t${n}`])
    .put('attrs', new Map([[`a${n}`, n * 1000]]))
    .put('items', [new Struct(ITEM).put('sku', `s${n}`).put('qty', n)])
    .put('first', n % 2 ? null : new Struct(first as never).put('sku', 'f'));
}

/** Field values without schemas: nested messages get Protobuf's nested names, the data must match. */
function plain(v: unknown): unknown {
  if (v instanceof Struct) return Object.fromEntries((v.schema.fields ?? []).map((f) => [f.name, plain(v.get(f.name))]));
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, plain(x)]));
  return v;
}

describe('ProtobufConverter with a real Schema Registry', () => {
  it('round-trips Connect structs field by field, optional fields keeping null apart from zero', async () => {
    const topic = uniqueName('proto-rt');
    const w = converter();
    const r = converter();
    for (let n = 0; n < 6; n++) {
      const record = order(n);
      const bytes = (await w.fromConnectData(topic, ORDER, record)) as Buffer;
      expect(bytes[0]).toBe(0);
      expect(bytes[5]).toBe(0); // message indexes [0]
      const back = await r.toConnectData(topic, bytes);
      expect(back.schema?.name).toBe('com.example.Order');
      const got = back.value as Struct;
      for (const f of ORDER.fields ?? []) {
        const expected = record.get(f.name);
        const value = got.get(f.name);
        expect({ field: f.name, value: plain(value) }).toEqual({ field: f.name, value: plain(expected) });
      }
    }
  });

  it('reads the message a foreign writer named by its message indexes', async () => {
    const topic = uniqueName('proto-foreign');
    const text = 'syntax = "proto3";\npackage shop;\nmessage First { string a = 1; }\nmessage Second { int64 big = 1; repeated string names = 2; First first = 3; }\n';
    const res = await fetch(`${registryUrl}/subjects/${topic}-value/versions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ schemaType: 'PROTOBUF', schema: text }),
    });
    const { id } = (await res.json()) as { id: number };
    const Second = protobuf.parse(text).root.lookupType('shop.Second');
    const payload = Second.encode(Second.fromObject({ big: '9007199254740993', names: ['x', 'y'], first: { a: 'q' } })).finish();
    // Indexes [1]: count 1, index 1, both zigzag varints (2, 2).
    const framed = Buffer.concat([Buffer.from([0, 0, 0, 0, 0, 2, 2]), Buffer.from(payload)]);
    framed.writeInt32BE(id, 1);
    expect(readMessageIndexes(framed.subarray(5)).indexes).toEqual([1]);
    const got = await converter().toConnectData(topic, framed);
    expect(got.schema?.name).toBe('shop.Second');
    const s = got.value as Struct;
    expect(s.get('big')).toBe(9007199254740993n);
    expect(s.get('names')).toEqual(['x', 'y']);
    expect((s.get('first') as Struct).get('a')).toBe('q');
  });

  it('round-trips nested, repeated, map, enum, oneof and logical-type fields through the registry', async () => {
    const topic = uniqueName('proto-kinds');
    const w = converter();
    const r = converter();
    for (let n = 0; n < 4; n++) {
      const record = everyKind(n);
      const bytes = (await w.fromConnectData(topic, EVERY_KIND, record)) as Buffer;
      const back = await r.toConnectData(topic, bytes);
      const got = back.value as Struct;
      for (const f of EVERY_KIND.fields ?? []) {
        const name = f.name === 'payment' ? 'payment_0' : f.name;
        expect({ field: f.name, value: plainValue(got.get(name)) }).toEqual({ field: f.name, value: plainValue(record.get(f.name)) });
      }
    }
    const latest = (await (await fetch(`${registryUrl}/subjects/${topic}-value/versions/latest`)).json()) as { schema: string };
    expect(latest.schema).toContain('import "confluent/type/decimal.proto";');
    expect(latest.schema).toContain('oneof payment {');
  });

  it('with default settings names the Connect schema without its package and reads unset scalars as defaults, as Confluent', async () => {
    const topic = uniqueName('proto-defaults');
    const plain = { 'enhanced.protobuf.schema.support': 'false', 'optional.for.nullables': 'false' };
    const bytes = (await converter(plain).fromConnectData(topic, ORDER, order(1))) as Buffer;
    const back = await converter(plain).toConnectData(topic, bytes);
    expect(back.schema?.name).toBe('Order');
    expect((back.value as Struct).get('note')).toBe('');
    expect((back.value as Struct).get('count')).toBe(0);
  });
});
