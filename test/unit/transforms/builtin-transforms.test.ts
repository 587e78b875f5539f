import { describe, expect, it } from 'vitest';
import { PluginRegistry } from '../../../lib/plugins/plugin-registry.ts';
import type { Predicate, Transformation } from '../../../lib/plugins/plugin-types.ts';
import { builtinTransforms } from '../../../lib/transforms/index.ts';

const KEYED = ['Cast', 'ExtractField', 'Flatten', 'HeaderFrom', 'HoistField', 'InsertField', 'MaskField', 'ReplaceField', 'SetSchemaMetadata', 'TimestampConverter'];
const PLAIN = ['DropHeaders', 'Filter', 'InsertHeader', 'RegexRouter', 'TimestampRouter', 'ValueToKey'];

describe('builtinTransforms', () => {
  it('registers every transform Apache Kafka ships, with $Key/$Value variants where Apache has them', () => {
    const names = builtinTransforms.filter((d) => d.type === 'transformation').map((d) => d.className.replace('org.apache.kafka.connect.transforms.', ''));
    const expected = [...KEYED.flatMap((n) => [`${n}$Key`, `${n}$Value`]), ...PLAIN];
    expect([...names].sort()).toEqual([...expected].sort());
  });

  it('registers the three predicates under their Apache package', () => {
    expect(builtinTransforms.filter((d) => d.type === 'predicate').map((d) => d.className)).toEqual([
      'org.apache.kafka.connect.transforms.predicates.HasHeaderKey',
      'org.apache.kafka.connect.transforms.predicates.RecordIsTombstone',
      'org.apache.kafka.connect.transforms.predicates.TopicNameMatches',
    ]);
  });

  it('is findable by class name and alias through the registry', () => {
    const registry = new PluginRegistry().register(...builtinTransforms);
    expect(registry.find('InsertField$Value')?.className).toBe('org.apache.kafka.connect.transforms.InsertField$Value');
    expect(registry.find('org.apache.kafka.connect.transforms.predicates.TopicNameMatches')?.type).toBe('predicate');
  });

  it('every plugin exposes a ConfigDef and a fresh instance per create()', () => {
    for (const d of builtinTransforms) {
      const a = d.create() as Transformation | Predicate;
      expect(a.config().configKeys().every((k) => k.documentation.length > 0)).toBe(true);
      expect(d.create()).not.toBe(a);
      expect(d.version).toBe('0.1.0');
    }
  });
});
