/**
 * Wire compatibility with a real peer: Apicurio's AvroConverter in Confluent mode (4-byte ids,
 * the same registry through its own API) reads what Tributary's AvroConverter wrote, and
 * Tributary reads what the peer wrote — record by record, field by field, for a schema that
 * uses every Connect type.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { AvroConverter } from '../../../lib/converters/avro/avro-converter.ts';
import { Struct } from '../../../lib/plugins/connect-schema.ts';
import { peerJars, peerJson, runAvroPeer } from '../../support/avro-peer.ts';
import { EVERY_TYPE_SCHEMA, everyTypeRecord } from '../../support/every-type-record.ts';
import { uniqueName } from '../../support/local-host-process.ts';

const registryUrl = inject('schemaRegistryUrl');
const apicurioUrl = inject('apicurioRegistryUrl');
const RECORDS = 12;

function tributary(): AvroConverter {
  const c = new AvroConverter();
  c.configure({ 'schema.registry.url': registryUrl }, false);
  return c;
}

describe('Avro compatibility with Apicurio\'s AvroConverter (Confluent wire format)', () => {
  beforeAll(async () => {
    await peerJars();
  }, 300_000);

  it('the peer reads what Tributary wrote, field by field', async () => {
    const topic = uniqueName('peer-reads');
    const c = tributary();
    const lines: string[] = [];
    for (let n = 0; n < RECORDS; n++) lines.push(((await c.fromConnectData(topic, EVERY_TYPE_SCHEMA, everyTypeRecord(n))) as Buffer).toString('hex'));
    const read = await runAvroPeer(['read', apicurioUrl, topic], `${lines.join('\n')}\n`);
    expect(read).toHaveLength(RECORDS);
    read.forEach((line, n) => {
      const got = JSON.parse(line) as Record<string, unknown>;
      const expected = peerJson(EVERY_TYPE_SCHEMA, everyTypeRecord(n)) as Record<string, unknown>;
      for (const f of EVERY_TYPE_SCHEMA.fields ?? []) expect({ record: n, field: f.name, value: got[f.name] }).toEqual({ record: n, field: f.name, value: expected[f.name] });
    });
  }, 120_000);

  it('Tributary reads what the peer wrote, field by field', async () => {
    const topic = uniqueName('tributary-reads');
    const written = await runAvroPeer(['write', apicurioUrl, topic, String(RECORDS)]);
    expect(written).toHaveLength(RECORDS);
    const c = tributary();
    for (let n = 0; n < RECORDS; n++) {
      const bytes = Buffer.from(written[n] as string, 'hex');
      expect(bytes[0]).toBe(0);
      const { schema, value } = await c.toConnectData(topic, bytes);
      const got = value as Struct;
      const expected = everyTypeRecord(n);
      for (const f of EVERY_TYPE_SCHEMA.fields ?? []) {
        expect({ record: n, field: f.name, value: got.get(f.name) }).toEqual({ record: n, field: f.name, value: expected.get(f.name) });
        const gotField = schema?.fields?.find((x) => x.name === f.name)?.schema;
        expect({ field: f.name, type: gotField?.type, name: gotField?.name, optional: gotField?.optional }).toEqual({ field: f.name, type: f.schema.type, name: f.schema.name, optional: f.schema.optional });
      }
      expect(schema?.name).toBe(EVERY_TYPE_SCHEMA.name);
    }
  }, 120_000);
});
