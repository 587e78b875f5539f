import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileAvroSchema } from '../../../../lib/connectors/datagen/avro-datagen-schema.ts';
import { datagenConfigDef, datagenCrossKeyErrors, parseDatagenSettings } from '../../../../lib/connectors/datagen/datagen-config.ts';
import { SeededRandom } from '../../../../lib/connectors/datagen/seeded-random.ts';
import type { Struct } from '../../../../lib/plugins/connect-schema.ts';

// A schema in the style of Confluent datagen's quickstarts (users.avro, pageviews.avro).
const USERS = {
  namespace: 'ksql',
  name: 'users',
  type: 'record',
  fields: [
    { name: 'registertime', type: { type: 'long', 'arg.properties': { range: { min: 1487715775521, max: 1519273364600 } } } },
    { name: 'userid', type: { type: 'string', 'arg.properties': { regex: 'User_[1-9]{0,1}' } } },
    { name: 'regionid', type: { type: 'string', 'arg.properties': { options: ['Region_1', 'Region_2'] } } },
    { name: 'gender', type: { type: 'enum', name: 'Gender', symbols: ['MALE', 'FEMALE', 'OTHER'] } },
    { name: 'seq', type: { type: 'int', 'arg.properties': { iteration: { start: 10, step: 5 } } } },
    { name: 'viewtime', type: { type: 'long', logicalType: 'timestamp-millis', 'arg.properties': { range: { min: 0, max: 1000 } } } },
    { name: 'score', type: { type: 'double', 'arg.properties': { range: { min: 1, max: 2 } } } },
    { name: 'interests', type: { type: 'array', items: 'string', 'arg.properties': { length: { min: 1, max: 3 } } } },
    { name: 'nickname', type: ['null', 'string'] },
  ],
};

describe('Datagen with Confluent\'s Avro schema form', () => {
  it('honours iteration, range, options, regex and length, with AvroData\'s Connect schema', () => {
    const g = compileAvroSchema(USERS);
    expect(g.schema.name).toBe('ksql.users');
    expect(g.schema.fields?.map((f) => `${f.name}:${f.schema.type}${f.schema.optional ? '?' : ''}`)).toEqual([
      'registertime:INT64', 'userid:STRING', 'regionid:STRING', 'gender:STRING', 'seq:INT32', 'viewtime:INT64', 'score:FLOAT64', 'interests:ARRAY', 'nickname:STRING?',
    ]);
    const rng = new SeededRandom(1);
    for (let i = 0; i < 200; i++) {
      const r = g.generate(rng, i) as Struct;
      expect(r.get('registertime')).toBeGreaterThanOrEqual(1487715775521);
      expect(r.get('registertime')).toBeLessThan(1519273364600);
      expect(r.get('userid')).toMatch(/^User_[1-9]?$/);
      expect(['Region_1', 'Region_2']).toContain(r.get('regionid'));
      expect(['MALE', 'FEMALE', 'OTHER']).toContain(r.get('gender'));
      expect(r.get('seq')).toBe(10 + 5 * i);
      expect((r.get('viewtime') as Date).getTime()).toBeLessThan(1000);
      expect(r.get('score')).toBeGreaterThanOrEqual(1);
      expect((r.get('interests') as string[]).length).toBeGreaterThanOrEqual(1);
      expect((r.get('interests') as string[]).length).toBeLessThanOrEqual(2);
      r.validate();
    }
  });

  it('takes the schema from schema.string or schema.filename and reports bad ones on their key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'datagen-avro-'));
    const file = join(dir, 'users.avro');
    writeFileSync(file, JSON.stringify(USERS));
    const base = { 'kafka.topic': 't', 'max.interval': '0' };
    expect(parseDatagenSettings({ ...base, 'schema.filename': file, 'schema.keyfield': 'userid' }).generator.schema.name).toBe('ksql.users');
    expect(parseDatagenSettings({ ...base, 'schema.string': JSON.stringify(USERS) }).keyField).toBe('');
    const errors = (props: Record<string, string>) => datagenCrossKeyErrors(datagenConfigDef().parse(props));
    expect(errors({ ...base, 'schema.filename': join(dir, 'missing.avro') })['schema.filename']?.[0]).toMatch(/Unable to read/);
    expect(errors({ ...base, 'schema.string': '{"type":"record","name":"x","fields":[{"name":"a","type":"nope"}]}' })['schema.string']?.[0]).toMatch(/not a valid Avro schema/);
    expect(errors({ ...base, 'schema.string': JSON.stringify(USERS), 'schema.keyfield': 'nope' })['schema.keyfield']).toBeDefined();
    expect(errors({ ...base, 'schema.string': JSON.stringify(USERS), 'schema.filename': file })['schema.string']).toBeDefined();
  });
});
