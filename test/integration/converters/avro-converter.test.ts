/**
 * io.confluent.connect.avro.AvroConverter against a real Schema Registry (Apicurio's
 * Confluent-compatible API): a round trip of every Connect type, the wire format, subject
 * name strategies, use.latest.version, and each kind of bad input.
 */
import { describe, expect, inject, it } from 'vitest';
import { AvroConverter } from '../../../lib/converters/avro/avro-converter.ts';
import { schemaEquals } from '../../../lib/converters/data-util.ts';
import { DataError, Schemas, SchemaBuilder, Struct } from '../../../lib/plugins/connect-schema.ts';
import type { Schema } from '../../../lib/plugins/connect-schema.ts';
import { EVERY_TYPE_SCHEMA, everyTypeRecord } from '../../support/every-type-record.ts';
import { freePort, uniqueName } from '../../support/local-host-process.ts';

const registryUrl = inject('schemaRegistryUrl');

function converter(props: Record<string, string> = {}, isKey = false): AvroConverter {
  const c = new AvroConverter();
  c.configure({ 'schema.registry.url': registryUrl, ...props }, isKey);
  return c;
}

async function subjects(): Promise<string[]> {
  return (await (await fetch(`${registryUrl}/subjects`)).json()) as string[];
}

describe('AvroConverter with a real Schema Registry', () => {
  it('round-trips every Connect type, record by record and field by field', async () => {
    const topic = uniqueName('avro-every');
    const writer = converter();
    const reader = converter();
    for (let n = 0; n < 20; n++) {
      const record = everyTypeRecord(n);
      const bytes = (await writer.fromConnectData(topic, EVERY_TYPE_SCHEMA, record)) as Buffer;
      expect(bytes[0]).toBe(0);
      const back = await reader.toConnectData(topic, bytes);
      const got = back.value as Struct;
      for (const f of EVERY_TYPE_SCHEMA.fields ?? []) {
        expect({ field: f.name, value: got.get(f.name) }).toEqual({ field: f.name, value: record.get(f.name) });
      }
      expect(got.equals(record)).toBe(true);
      expect(schemaEquals(back.schema, EVERY_TYPE_SCHEMA)).toBe(true);
    }
    expect(await subjects()).toContain(`${topic}-value`);
  });

  it('answers synchronously once a schema is known, with one registered id', async () => {
    const topic = uniqueName('avro-sync');
    const c = converter();
    const first = (await c.fromConnectData(topic, Schemas.STRING, 'a')) as Buffer;
    const second = c.fromConnectData(topic, Schemas.STRING, 'b');
    expect(Buffer.isBuffer(second)).toBe(true);
    expect((second as Buffer).readInt32BE(1)).toBe(first.readInt32BE(1));
    expect(c.toConnectData(topic, first)).toEqual({ schema: expect.objectContaining({ type: 'STRING' }), value: 'a' });
    // Values larger than the converter's encoding buffer, then a small one again: each framed at its own size.
    for (const size of [100_000, 1_000_000, 3]) {
      const value = 'v'.repeat(size);
      const bytes = c.fromConnectData(topic, Schemas.STRING, value) as Buffer;
      expect(bytes.readInt32BE(1)).toBe(first.readInt32BE(1));
      expect(c.toConnectData(topic, bytes)).toEqual({ schema: expect.objectContaining({ type: 'STRING' }), value });
    }
  });

  it('uses the key subject for keys and the record name under RecordNameStrategy and TopicRecordNameStrategy', async () => {
    const topic = uniqueName('avro-subjects');
    const schema = SchemaBuilder.struct().name(`com.example.${topic.replace(/-/g, '_')}`).field('id', Schemas.INT64).build();
    const value = new Struct(schema).put('id', 7);
    await converter({}, true).fromConnectData(topic, schema, value);
    await converter({ 'value.subject.name.strategy': 'io.confluent.kafka.serializers.subject.RecordNameStrategy' }).fromConnectData(topic, schema, value);
    await converter({ 'value.subject.name.strategy': 'io.confluent.kafka.serializers.subject.TopicRecordNameStrategy' }).fromConnectData(topic, schema, value);
    const all = await subjects();
    expect(all).toContain(`${topic}-key`);
    expect(all).toContain(schema.name);
    expect(all).toContain(`${topic}-${schema.name}`);
  });

  it('with auto.register.schemas=false, fails on an unregistered schema and writes with a registered one', async () => {
    const topic = uniqueName('avro-noreg');
    const c = converter({ 'auto.register.schemas': 'false' });
    await expect(c.fromConnectData(topic, Schemas.INT32, 5)).rejects.toThrow(/40401|40403|not found/i);
    await converter().fromConnectData(topic, Schemas.INT32, 5);
    const bytes = (await converter({ 'auto.register.schemas': 'false' }).fromConnectData(topic, Schemas.INT32, 6)) as Buffer;
    expect((await converter().toConnectData(topic, bytes)).value).toBe(6);
  });

  it('with use.latest.version, writes under the latest version of the subject', async () => {
    const topic = uniqueName('avro-latest');
    const v1 = SchemaBuilder.struct().name('com.example.Latest').field('a', Schemas.STRING).build();
    const v2 = SchemaBuilder.struct().name('com.example.Latest').field('a', Schemas.STRING).field('b', Schemas.OPTIONAL_STRING).build();
    const idV2 = ((await converter().fromConnectData(topic, v2, new Struct(v2).put('a', 'x'))) as Buffer).readInt32BE(1);
    const bytes = (await converter({ 'auto.register.schemas': 'false', 'use.latest.version': 'true' }).fromConnectData(topic, v2, new Struct(v2).put('a', 'y').put('b', 'z'))) as Buffer;
    expect(bytes.readInt32BE(1)).toBe(idV2);
    // A record with the older schema: the latest version can read it, so it is written under the latest id.
    const older = (await converter({ 'auto.register.schemas': 'false', 'use.latest.version': 'true' }).fromConnectData(topic, v1, new Struct(v1).put('a', 'old'))) as Buffer;
    expect(older.readInt32BE(1)).toBe(idV2);
    const read = (await converter().toConnectData(topic, older)).value as Struct;
    expect(read.get('a')).toBe('old');
    expect(read.get('b')).toBeNull();
  });

  it('rejects an incompatible schema with the registry\'s 409 in a clear error', async () => {
    const topic = uniqueName('avro-409');
    const subject = `${topic}-value`;
    const v1 = SchemaBuilder.struct().name('com.example.Compat').field('a', Schemas.STRING).build();
    await converter().fromConnectData(topic, v1, new Struct(v1).put('a', 'x'));
    const put = await fetch(`${registryUrl}/config/${subject}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ compatibility: 'BACKWARD' }),
    });
    expect(put.status).toBe(200);
    const v2 = SchemaBuilder.struct().name('com.example.Compat').field('a', Schemas.INT32).build();
    const err = await Promise.resolve(converter().fromConnectData(topic, v2, new Struct(v2).put('a', 1))).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toMatch(/incompatible/i);
    expect((err as Error).message).toContain('409');
  });

  it('fails on a wrong magic byte and on an unknown schema id with DataErrors', async () => {
    const c = converter();
    expect(() => c.toConnectData('t', Buffer.from([1, 0, 0, 0, 1, 2]))).toThrow(DataError);
    expect(() => c.toConnectData('t', Buffer.from([1, 0, 0, 0, 1, 2]))).toThrow('Unknown magic byte!');
    const unknown = Buffer.from([0, 0x7f, 0xff, 0xff, 0xf0, 2]);
    const err = await Promise.resolve(c.toConnectData('t', unknown)).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toContain(String(0x7ffffff0));
  });

  it('names every URL when no registry answers, and fails over to the next URL when one does not', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const c = converter({ 'schema.registry.url': dead });
    const err = await Promise.resolve(c.fromConnectData('t', Schemas.STRING, 'x')).catch((e: unknown) => e as Error & { retriable?: boolean });
    expect((err as Error).message).toContain(dead);
    expect((err as { retriable?: boolean }).retriable).toBe(true);
    const failover = converter({ 'schema.registry.url': `${dead},${registryUrl}` });
    const bytes = (await failover.fromConnectData(uniqueName('avro-failover'), Schemas.STRING, 'x')) as Buffer;
    expect(bytes[0]).toBe(0);
  });

  it('sends basic auth from basic.auth.user.info', async () => {
    // The test registry has no auth; a wrong source value is refused at configure time instead.
    expect(() => converter({ 'basic.auth.credentials.source': 'NOPE' })).toThrow(/basic.auth.credentials.source/);
    const c = converter({ 'basic.auth.credentials.source': 'USER_INFO', 'basic.auth.user.info': 'user:secret' });
    expect(Buffer.isBuffer(await c.fromConnectData(uniqueName('avro-auth'), Schemas.BOOLEAN, true))).toBe(true);
  });

  it('reads the optional unions and defaults another writer put in the registry', async () => {
    const topic = uniqueName('avro-foreign');
    const foreign = {
      type: 'record',
      name: 'Foreign',
      namespace: 'org.other',
      fields: [
        { name: 'n', type: ['null', 'long'], default: null },
        { name: 'color', type: { type: 'enum', name: 'Color', symbols: ['RED', 'GREEN'] } },
        { name: 'id', type: { type: 'fixed', name: 'Id', size: 2 } },
        { name: 'either', type: ['int', 'string'] },
      ],
    };
    const res = await fetch(`${registryUrl}/subjects/${topic}-value/versions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ schema: JSON.stringify(foreign) }),
    });
    const { id } = (await res.json()) as { id: number };
    // n = 5 (union branch 1, zigzag 10), color GREEN (1 → 2), id bytes "ab", either = string "hi" (branch 1 → 2, len 2 → 4).
    const payload = Buffer.from([2, 10, 2, 0x61, 0x62, 2, 4, 0x68, 0x69]);
    const framed = Buffer.concat([Buffer.from([0, 0, 0, 0, 0]), payload]);
    framed.writeInt32BE(id, 1);
    const got = await converter().toConnectData(topic, framed);
    const s = got.value as Struct;
    expect(s.get('n')).toBe(5);
    expect(s.get('color')).toBe('GREEN');
    expect(s.get('id')).toEqual(Buffer.from('ab'));
    expect((s.get('either') as Struct).get('string')).toBe('hi');
    const schema = got.schema as Schema;
    expect(schema.name).toBe('org.other.Foreign');
    expect(schema.fields?.[1]?.schema.parameters?.['io.confluent.connect.avro.Enum']).toBe('org.other.Color');
  });
});
