import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SchemaBuilder, Schemas, Struct } from '../../../lib/plugins/connect-schema.ts';
import { Filter } from '../../../lib/transforms/filter-transform.ts';
import { HeaderFrom } from '../../../lib/transforms/header-from-transform.ts';
import { InsertField } from '../../../lib/transforms/insert-field-transform.ts';
import { SetSchemaMetadata } from '../../../lib/transforms/set-schema-metadata-transform.ts';
import { TimestampRouter } from '../../../lib/transforms/timestamp-router-transform.ts';
import { TopicNameMatches } from '../../../lib/transforms/topic-name-matches-predicate.ts';
import { ValueToKey } from '../../../lib/transforms/value-to-key-transform.ts';
import { applied, configured, sinkRecord, sourceRecord } from './fixtures.ts';

const key = fc.constantFrom('a', 'b', 'c', 'd');
const flatMap = fc.dictionary(key, fc.oneof(fc.integer(), fc.string(), fc.constant(null)));

describe('transform properties', () => {
  it('InsertField adds exactly the configured fields and keeps the rest', () => {
    const t = configured(new InsertField('value'), { 'topic.field': 'tp', 'offset.field': 'off' });
    fc.assert(
      fc.property(flatMap, fc.string(), (value, topic) => {
        const out = applied(t, sinkRecord({ topic, value })).value;
        expect(out).toEqual({ ...value, tp: topic, off: 42 });
      }),
    );
  });

  it('HeaderFrom copy leaves the value untouched and adds one header per field', () => {
    const t = configured(new HeaderFrom('value'), { fields: 'a,b', headers: 'x,y', operation: 'copy' });
    fc.assert(
      fc.property(flatMap, (value) => {
        const out = applied(t, sourceRecord({ value }));
        expect(out.value).toEqual(value);
        expect(out.headers?.map((h) => [h.key, h.value])).toEqual([
          ['x', value.a ?? null],
          ['y', value.b ?? null],
        ]);
      }),
    );
  });

  it('ValueToKey makes a key with exactly the listed fields', () => {
    fc.assert(
      fc.property(flatMap, fc.uniqueArray(key, { minLength: 1 }), (value, fields) => {
        const out = applied(configured(new ValueToKey(), { fields: fields.join(',') }), sourceRecord({ value }));
        expect(Object.keys(out.key as object).sort()).toEqual([...fields].sort());
        expect(out.value).toBe(value);
      }),
    );
  });

  it('SetSchemaMetadata changes only name and version, never the data', () => {
    const schema = SchemaBuilder.struct().name('x').field('a', Schemas.INT32).field('b', Schemas.OPTIONAL_STRING).build();
    fc.assert(
      fc.property(fc.integer(), fc.option(fc.string()), fc.string({ minLength: 1 }), fc.nat(), (a, b, name, version) => {
        const t = configured(new SetSchemaMetadata('value'), { 'schema.name': name, 'schema.version': String(version) });
        const value = new Struct(schema).put('a', a).put('b', b);
        const out = applied(t, sourceRecord({ valueSchema: schema, value }));
        expect(out.valueSchema).toEqual({ ...schema, name, version });
        expect([(out.value as Struct).get('a'), (out.value as Struct).get('b')]).toEqual([a, b]);
      }),
    );
  });

  it('Filter drops every record', () => {
    const t = configured(new Filter(), {});
    fc.assert(
      fc.property(fc.string(), fc.jsonValue(), (topic, value) => {
        expect(t.apply(sourceRecord({ topic, value }))).toBeNull();
      }),
    );
  });

  it('TimestampRouter appends the UTC day to the topic', () => {
    const t = configured(new TimestampRouter(), {});
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z.]{1,10}$/), fc.integer({ min: 0, max: 253_402_300_799_999 }), (topic, ts) => {
        const day = new Date(ts).toISOString().slice(0, 10).replace(/-/g, '');
        expect(applied(t, sourceRecord({ topic, timestamp: ts })).topic).toBe(`${topic}-${day}`);
      }),
    );
  });

  it('TopicNameMatches with an escaped literal matches that topic only', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string(), (topic, other) => {
        const p = configured(new TopicNameMatches(), { pattern: topic.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') });
        expect(p.test(sourceRecord({ topic }))).toBe(true);
        expect(p.test(sourceRecord({ topic: other }))).toBe(other === topic);
      }),
    );
  });
});
