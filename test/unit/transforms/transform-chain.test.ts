import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lib/config/config-def.ts';
import { ConfigDef } from '../../../lib/config/config-def.ts';
import { PluginRegistry } from '../../../lib/plugins/plugin-registry.ts';
import type { PluginDescriptor, Transformation } from '../../../lib/plugins/plugin-types.ts';
import { TransformationError } from '../../../lib/transforms/errors.ts';
import { HasHeaderKey } from '../../../lib/transforms/has-header-key-predicate.ts';
import { builtinTransforms } from '../../../lib/transforms/index.ts';
import { RecordIsTombstone } from '../../../lib/transforms/record-is-tombstone-predicate.ts';
import { TopicNameMatches } from '../../../lib/transforms/topic-name-matches-predicate.ts';
import { buildTransformChain, validateTransformConfig } from '../../../lib/transforms/transform-chain.ts';
import { configured, sinkRecord, sourceRecord } from './fixtures.ts';

const registry = new PluginRegistry().register(...builtinTransforms);
const find = (name: string) => registry.find(name, ['transformation', 'predicate']);

describe('predicates', () => {
  it('TopicNameMatches matches the whole topic name', () => {
    const p = configured(new TopicNameMatches(), { pattern: 'orders-.*' });
    expect(p.test(sourceRecord({ topic: 'orders-eu' }))).toBe(true);
    expect(p.test(sourceRecord({ topic: 'my-orders-eu' }))).toBe(false);
    expect(() => configured(new TopicNameMatches(), { pattern: '' })).toThrow(ConfigError);
    expect(() => configured(new TopicNameMatches(), { pattern: '[' })).toThrow(/Invalid regex/);
  });

  it('HasHeaderKey looks for a header by name', () => {
    const p = configured(new HasHeaderKey(), { name: 'trace' });
    expect(p.test(sourceRecord({ headers: [{ key: 'trace', value: null }] }))).toBe(true);
    expect(p.test(sourceRecord({ headers: [{ key: 'other', value: 1 }] }))).toBe(false);
    expect(() => configured(new HasHeaderKey(), {})).toThrow(/Missing required configuration "name"/);
  });

  it('RecordIsTombstone is true for null values only', () => {
    const p = configured(new RecordIsTombstone(), {});
    expect(p.test(sourceRecord({ value: null }))).toBe(true);
    expect(p.test(sourceRecord({ value: 0 }))).toBe(false);
  });
});

describe('buildTransformChain', () => {
  it('applies transforms in order, with aliases and full class names', () => {
    const chain = buildTransformChain(
      {
        transforms: 'hoist, route',
        'transforms.hoist.type': 'org.apache.kafka.connect.transforms.HoistField$Value',
        'transforms.hoist.field': 'line',
        'transforms.route.type': 'RegexRouter',
        'transforms.route.regex': '(.*)',
        'transforms.route.replacement': '$1-out',
      },
      find,
    );
    expect(chain.stages.map((s) => s.alias)).toEqual(['hoist', 'route']);
    const out = chain.apply(sinkRecord({ value: 'hello' }));
    expect(out).toMatchObject({ topic: 'orders-out', value: { line: 'hello' }, kafkaOffset: 42 });
  });

  it('runs a transform only when its predicate matches, or does not match when negated', () => {
    const config = {
      transforms: 'drop',
      'transforms.drop.type': 'Filter',
      'transforms.drop.predicate': 'isTombstone',
      predicates: 'isTombstone',
      'predicates.isTombstone.type': 'org.apache.kafka.connect.transforms.predicates.RecordIsTombstone',
    };
    const chain = buildTransformChain(config, find);
    expect(chain.apply(sourceRecord({ value: null }))).toBeNull();
    expect(chain.apply(sourceRecord({ value: 1 }))).not.toBeNull();
    const negated = buildTransformChain({ ...config, 'transforms.drop.negate': 'true' }, find);
    expect(negated.apply(sourceRecord({ value: null }))).not.toBeNull();
    expect(negated.apply(sourceRecord({ value: 1 }))).toBeNull();
  });

  it('is the identity when no transforms are configured (property)', () => {
    const chain = buildTransformChain({}, find);
    fc.assert(
      fc.property(fc.string(), fc.jsonValue(), (topic, value) => {
        const r = sourceRecord({ topic, value });
        expect(chain.apply(r)).toBe(r);
      }),
    );
  });

  it('wraps transform failures with the alias and class', () => {
    const chain = buildTransformChain({ transforms: 'x', 'transforms.x.type': 'ExtractField$Value', 'transforms.x.field': 'a' }, find);
    let error: unknown;
    try {
      chain.apply(sourceRecord({ value: 'not a map' }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TransformationError);
    expect(error).toMatchObject({ alias: 'x', className: 'org.apache.kafka.connect.transforms.ExtractField$Value', retriable: false });
    expect((error as Error).message).toMatch(/Only Map objects supported/);
  });

  it('throws ConfigError keyed by the bad config', () => {
    const attempt = (config: Record<string, string>) => {
      try {
        buildTransformChain(config, find);
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('expected a ConfigError');
    };
    expect(attempt({ transforms: 'x' })).toMatchObject({ key: 'transforms.x.type' });
    expect(attempt({ transforms: 'x', 'transforms.x.type': 'com.acme.Nope' }).message).toBe(
      'Invalid value com.acme.Nope for configuration transforms.x.type: Class com.acme.Nope could not be found.',
    );
    expect(attempt({ transforms: 'x', 'transforms.x.type': 'ExtractField$Key' })).toMatchObject({ key: 'transforms.x.field' });
    expect(attempt({ transforms: 'x', 'transforms.x.type': 'InsertField$Value' }).message).toMatch(/No field insertion configured/);
  });

  it('closes every plugin even when one fails to close', () => {
    const closed: string[] = [];
    const plugin = (name: string, fail: boolean): PluginDescriptor => ({
      className: name,
      type: 'transformation',
      version: '1',
      create: (): Transformation => ({
        configure: () => undefined,
        apply: (r) => r,
        config: () => new ConfigDef(),
        close: () => {
          closed.push(name);
          if (fail) throw new Error('boom');
        },
      }),
    });
    const plugins = [plugin('A', true), plugin('B', false)];
    const chain = buildTransformChain({ transforms: 'a,b', 'transforms.a.type': 'A', 'transforms.b.type': 'B' }, (n) => plugins.find((p) => p.className === n));
    chain.close();
    expect(closed).toEqual(['A', 'B']);
  });
});

describe('validateTransformConfig', () => {
  it('returns no errors for a valid config', () => {
    expect(
      validateTransformConfig(
        {
          transforms: 'mask',
          'transforms.mask.type': 'MaskField$Value',
          'transforms.mask.fields': 'ssn',
          'transforms.mask.predicate': 'p',
          predicates: 'p',
          'predicates.p.type': 'TopicNameMatches',
          'predicates.p.pattern': 'users.*',
        },
        find,
      ),
    ).toEqual({});
  });

  it('reports missing and unknown classes on the type key, as Connect does', () => {
    expect(validateTransformConfig({ transforms: 'a,b', 'transforms.b.type': 'Nope' }, find)).toEqual({
      'transforms.a.type': ['Missing required configuration "transforms.a.type" which has no default value.'],
      'transforms.b.type': ['Invalid value Nope for configuration transforms.b.type: Class Nope could not be found.'],
    });
  });

  it('reports duplicate aliases, wrong plugin kinds and undefined predicates', () => {
    const errors = validateTransformConfig(
      {
        transforms: 'a,a',
        'transforms.a.type': 'TopicNameMatches',
        'transforms.a.predicate': 'ghost',
        predicates: 'p',
        'predicates.p.type': 'Filter',
      },
      find,
    );
    expect(errors.transforms).toEqual(['Invalid value [a, a] for configuration transforms: Duplicate alias provided.']);
    expect(errors['transforms.a.type']?.[0]).toMatch(/is not a subclass of org\.apache\.kafka\.connect\.transforms\.Transformation/);
    expect(errors['transforms.a.predicate']?.[0]).toMatch(/Predicate alias 'ghost' is not defined in 'predicates'/);
    expect(errors['predicates.p.type']?.[0]).toMatch(/is not a subclass of .*Predicate/);
  });

  it('reports bad transform and predicate keys under their prefixed names', () => {
    const errors = validateTransformConfig(
      {
        transforms: 'c,n',
        'transforms.c.type': 'Cast$Value',
        'transforms.c.spec': 'a:blob',
        'transforms.n.type': 'ExtractField$Value',
        'transforms.n.feild': 'x',
        'transforms.n.negate': 'true',
      },
      find,
    );
    expect(errors['transforms.c.spec']?.[0]).toMatch(/Invalid type found in casting spec: blob/);
    expect(errors['transforms.n.field']).toEqual(['Missing required configuration "transforms.n.field" which has no default value.']);
    expect(errors['transforms.n.feild']).toEqual(["Unknown configuration 'transforms.n.feild'; did you mean 'transforms.n.field'?"]);
    expect(errors['transforms.n.type']?.[0]).toMatch(/'transforms\.n\.negate' was provided but there is no config 'transforms\.n\.predicate'/);
  });

  it('reports cross-key problems found by configure()', () => {
    const errors = validateTransformConfig(
      { transforms: 'h', 'transforms.h.type': 'HeaderFrom$Value', 'transforms.h.fields': 'a,b', 'transforms.h.headers': 'x', 'transforms.h.operation': 'copy' },
      find,
    );
    expect(errors['transforms.h.headers']?.[0]).toMatch(/same number of elements/);
  });
});
