import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileJsonSchema } from '../../../../lib/connectors/datagen/datagen-schema.ts';
import { DatagenSchemaError } from '../../../../lib/connectors/datagen/errors.ts';
import { PatternGenerator } from '../../../../lib/connectors/datagen/pattern-generator.ts';
import { SeededRandom } from '../../../../lib/connectors/datagen/seeded-random.ts';
import { LOGICAL, Struct } from '../../../../lib/plugins/connect-schema.ts';

const SCHEMA = {
  title: 'shop.customer',
  type: 'object',
  required: ['id', 'name', 'tier', 'score', 'joined', 'tags', 'address'],
  properties: {
    id: { type: 'integer', iteration: { start: 100, step: 2 } },
    name: { type: 'string', minLength: 3, maxLength: 6 },
    tier: { type: 'string', enum: ['gold', 'silver'] },
    score: { type: 'number', minimum: 1, maximum: 2, multipleOf: 0.01 },
    age: { type: ['integer', 'null'], format: 'int32', minimum: 18, maximum: 99 },
    vip: { type: 'boolean' },
    joined: { type: 'string', format: 'date-time', formatMinimum: '2024-01-01T00:00:00Z', formatMaximum: '2024-02-01T00:00:00Z' },
    ref: { type: 'string', format: 'uuid' },
    tags: { type: 'array', items: { type: 'string', pattern: 'tag-[a-c]' }, minItems: 1, maxItems: 3 },
    address: { type: 'object', properties: { zip: { type: 'integer', minimum: 10000, maximum: 99999 } } },
  },
};

describe('compileJsonSchema', () => {
  it('builds a Connect schema: required fields required, others optional', () => {
    const g = compileJsonSchema(JSON.stringify(SCHEMA));
    const s = g.schema;
    expect(s.name).toBe('shop.customer');
    const byName = Object.fromEntries((s.fields ?? []).map((f) => [f.name, f.schema]));
    expect(byName['id']).toMatchObject({ type: 'INT64', optional: false });
    expect(byName['age']).toMatchObject({ type: 'INT32', optional: true });
    expect(byName['vip']).toMatchObject({ type: 'BOOLEAN', optional: true });
    expect(byName['joined']).toMatchObject({ type: 'INT64', name: LOGICAL.timestamp });
    expect(byName['tags']).toMatchObject({ type: 'ARRAY', valueSchema: { type: 'STRING' } });
    expect(byName['address']?.fields?.[0]?.name).toBe('zip');
  });

  it('generates values within the constraints', () => {
    const g = compileJsonSchema(SCHEMA);
    for (let i = 0; i < 200; i++) {
      const v = g.generate(SeededRandom.forRecord(7, 0, i), i);
      v.validate();
      expect(v.get('id')).toBe(100 + 2 * i);
      expect(String(v.get('name'))).toMatch(/^[a-z]{3,6}$/);
      expect(['gold', 'silver']).toContain(v.get('tier'));
      const score = v.get('score') as number;
      expect(score >= 1 && score <= 2 && Number(score.toFixed(2)) === score).toBe(true);
      expect(v.get('age') as number).toBeGreaterThanOrEqual(18);
      expect((v.get('joined') as Date).getTime()).toBeLessThan(Date.UTC(2024, 1, 1));
      expect(v.get('ref')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect((v.get('tags') as string[]).every((t) => /^tag-[a-c]$/.test(t))).toBe(true);
      expect(((v.get('address') as Struct).get('zip') as number) >= 10000).toBe(true);
    }
  });

  it('rejects what it cannot generate, naming the path', () => {
    expect(() => compileJsonSchema('{')).toThrow(DatagenSchemaError);
    expect(() => compileJsonSchema({ type: 'string' })).toThrow(/root/);
    expect(() => compileJsonSchema({ type: 'object', properties: { a: { type: 'integer', minimum: 5, maximum: 1 } } })).toThrow('$.properties.a: maximum < minimum');
    expect(() => compileJsonSchema({ type: 'object', properties: { a: { type: ['string', 'integer'] } } })).toThrow(/type list/);
  });
});

describe('PatternGenerator', () => {
  it('generates strings matching the pattern (property)', () => {
    const patterns = ['User_[1-9]', 'Item_[1-9][0-9]{0,2}', 'Page_[1-9][0-9]?', '(GET|POST) /[a-z]{2,5}', '\\d{3}-\\d{4}', '[A-Z][a-z]+ ?x*'];
    fc.assert(
      fc.property(fc.constantFrom(...patterns), fc.integer(), (pattern, seed) => {
        const out = new PatternGenerator(pattern).generate(new SeededRandom(seed));
        expect(out).toMatch(new RegExp(`^(?:${pattern})$`));
      }),
    );
  });

  it('rejects unsupported syntax', () => {
    expect(() => new PatternGenerator('[^a]')).toThrow(/negated/);
    expect(() => new PatternGenerator('a{3,1}')).toThrow(/m < n/);
    expect(() => new PatternGenerator('(ab')).toThrow(/missing "\)"/);
  });
});

describe('SeededRandom', () => {
  it('is deterministic per seed and spreads integers over the whole range', () => {
    const a = new SeededRandom(1, 2, 3);
    const b = new SeededRandom(1, 2, 3);
    const xs = Array.from({ length: 1000 }, () => a.int(0, 9));
    expect(Array.from({ length: 1000 }, () => b.int(0, 9))).toEqual(xs);
    expect(new Set(xs).size).toBe(10);
    const big = new SeededRandom(5).int(1487715775521, 1519273364600);
    expect(big).toBeGreaterThanOrEqual(1487715775521);
    expect(big).toBeLessThanOrEqual(1519273364600);
  });
});
