/**
 * io.confluent.connect.json.JsonSchemaConverter against a real Schema Registry: every Connect
 * type round-trips, the wire format frames JSON text, a plain JSON Schema from another writer
 * reads as Connect data, and json.fail.invalid.schema rejects payloads that do not fit.
 */
import { describe, expect, inject, it } from 'vitest';
import { schemaEquals } from '../../../lib/converters/data-util.ts';
import { JsonSchemaConverter } from '../../../lib/converters/json-schema/json-schema-converter.ts';
import { DataError, type Struct } from '../../../lib/plugins/connect-schema.ts';
import { EVERY_TYPE_SCHEMA, everyTypeRecord } from '../../support/every-type-record.ts';
import { uniqueName } from '../../support/local-host-process.ts';

const registryUrl = inject('schemaRegistryUrl');

function converter(props: Record<string, string> = {}): JsonSchemaConverter {
  const c = new JsonSchemaConverter();
  c.configure({ 'schema.registry.url': registryUrl, ...props }, false);
  return c;
}

describe('JsonSchemaConverter with a real Schema Registry', () => {
  it('round-trips every Connect type field by field, as framed JSON text', async () => {
    const topic = uniqueName('json-every');
    const writer = converter();
    const reader = converter({ 'json.fail.invalid.schema': 'true' });
    for (let n = 0; n < 10; n++) {
      const record = everyTypeRecord(n);
      const bytes = (await writer.fromConnectData(topic, EVERY_TYPE_SCHEMA, record)) as Buffer;
      expect(bytes[0]).toBe(0);
      expect(JSON.parse(bytes.subarray(5).toString('utf8')).text).toBe(record.get('text'));
      const back = await reader.toConnectData(topic, bytes);
      const got = back.value as Struct;
      for (const f of EVERY_TYPE_SCHEMA.fields ?? []) expect({ field: f.name, value: got.get(f.name) }).toEqual({ field: f.name, value: record.get(f.name) });
      expect(schemaEquals(back.schema, EVERY_TYPE_SCHEMA)).toBe(true);
    }
  });

  it('reads a plain JSON Schema another writer registered: properties not required are optional', async () => {
    const topic = uniqueName('json-foreign');
    const schema = { type: 'object', title: 'Order', properties: { id: { type: 'integer' }, note: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } }, required: ['id'] };
    const res = await fetch(`${registryUrl}/subjects/${topic}-value/versions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ schemaType: 'JSON', schema: JSON.stringify(schema) }),
    });
    const { id } = (await res.json()) as { id: number };
    const framed = Buffer.concat([Buffer.from([0, 0, 0, 0, 0]), Buffer.from('{"id":12345678901234567,"tags":["a"]}')]);
    framed.writeInt32BE(id, 1);
    const got = await converter().toConnectData(topic, framed);
    expect(got.schema?.name).toBe('Order');
    expect(got.schema?.fields?.map((f) => `${f.name}:${f.schema.type}${f.schema.optional ? '?' : ''}`)).toEqual(['id:INT64', 'note:STRING?', 'tags:ARRAY?']);
    const s = got.value as Struct;
    expect(s.get('id')).toBe(12345678901234567n);
    expect(s.get('note')).toBeNull();
    expect(s.get('tags')).toEqual(['a']);
  });

  it('with json.fail.invalid.schema, rejects a payload that does not fit its schema', async () => {
    const topic = uniqueName('json-invalid');
    const schema = { type: 'object', properties: { id: { type: 'integer', minimum: 10 } }, required: ['id'] };
    const res = await fetch(`${registryUrl}/subjects/${topic}-value/versions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ schemaType: 'JSON', schema: JSON.stringify(schema) }),
    });
    const { id } = (await res.json()) as { id: number };
    const framed = Buffer.concat([Buffer.from([0, 0, 0, 0, 0]), Buffer.from('{"id":3}')]);
    framed.writeInt32BE(id, 1);
    const err = await Promise.resolve(converter({ 'json.fail.invalid.schema': 'true' }).toConnectData(topic, framed)).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toMatch(/>= 10/);
    expect(((await converter().toConnectData(topic, framed)).value as Struct).get('id')).toBe(3);
    expect(() => converter().toConnectData(topic, Buffer.from('{"id":3}'))).toThrow('Unknown magic byte!');
  });
});
