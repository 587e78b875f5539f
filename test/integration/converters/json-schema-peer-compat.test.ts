/**
 * Wire compatibility of the JsonSchemaConverter with a real peer: Apicurio's JSON Schema serdes in
 * Confluent mode (4-byte ids, the same registry through its own API, every payload validated
 * against the registered schema by networknt's validator). No Connect converter for JSON Schema
 * in Confluent's wire format is published on Maven Central, so the peer works at the serde level:
 * it reads and validates what Tributary wrote, and frames JSON that Tributary reads back as the
 * same Connect records.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { JsonSchemaConverter } from '../../../lib/converters/json-schema/json-schema-converter.ts';
import type { Struct } from '../../../lib/plugins/connect-schema.ts';
import { EVERY_TYPE_SCHEMA, everyTypeRecord } from '../../support/every-type-record.ts';
import { jsonSchemaPeerClasspath, runJsonSchemaPeer } from '../../support/json-schema-peer.ts';
import { uniqueName } from '../../support/local-host-process.ts';

const registryUrl = inject('schemaRegistryUrl');
const apicurioUrl = inject('apicurioRegistryUrl');
const RECORDS = 8;

function tributary(): JsonSchemaConverter {
  const c = new JsonSchemaConverter();
  c.configure({ 'schema.registry.url': registryUrl }, false);
  return c;
}

describe.skipIf(!apicurioUrl)('JSON Schema compatibility with Apicurio\'s JSON Schema serdes (Confluent wire format)', () => {
  beforeAll(async () => {
    await jsonSchemaPeerClasspath();
  }, 300_000);

  it('the peer finds the schema by the id Tributary wrote, validates and reads every record; a payload off the schema fails its validation', async () => {
    const topic = uniqueName('json-peer-reads');
    const c = tributary();
    const framed: Buffer[] = [];
    for (let n = 0; n < RECORDS; n++) framed.push((await c.fromConnectData(topic, EVERY_TYPE_SCHEMA, everyTypeRecord(n))) as Buffer);
    const offSchema = Buffer.concat([framed[0]?.subarray(0, 5) as Buffer, Buffer.from(JSON.stringify({ ...JSON.parse((framed[0] as Buffer).subarray(5).toString()), text: 12 }))]);
    const lines = await runJsonSchemaPeer('read', apicurioUrl, topic, [...framed, offSchema].map((b) => b.toString('hex')));
    expect(lines).toHaveLength(RECORDS + 1);
    framed.forEach((b, n) => expect({ n, json: JSON.parse(lines[n] as string) }).toEqual({ n, json: JSON.parse(b.subarray(5).toString('utf8')) }));
    expect(lines[RECORDS]).toMatch(/^INVALID .*\$\.text: integer found, string expected/);
  }, 180_000);

  it('Tributary reads what the peer framed with the latest schema, record by record, field by field', async () => {
    const topic = uniqueName('json-peer-writes');
    const c = tributary();
    const payloads: string[] = [];
    let ours: Buffer | undefined;
    for (let n = 0; n < RECORDS; n++) {
      ours = (await c.fromConnectData(topic, EVERY_TYPE_SCHEMA, everyTypeRecord(n))) as Buffer;
      payloads.push(ours.subarray(5).toString('utf8'));
    }
    const hex = await runJsonSchemaPeer('write', apicurioUrl, topic, payloads);
    expect(hex).toHaveLength(RECORDS);
    const reader = tributary();
    for (let n = 0; n < RECORDS; n++) {
      const bytes = Buffer.from(hex[n] as string, 'hex');
      expect(bytes.subarray(0, 5)).toEqual((ours as Buffer).subarray(0, 5)); // magic byte and the same schema id
      const got = (await reader.toConnectData(topic, bytes)).value as Struct;
      const record = everyTypeRecord(n);
      for (const f of EVERY_TYPE_SCHEMA.fields ?? []) expect({ n, field: f.name, value: got.get(f.name) }).toEqual({ n, field: f.name, value: record.get(f.name) });
    }
  }, 180_000);
});
