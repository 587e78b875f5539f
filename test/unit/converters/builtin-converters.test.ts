import { describe, expect, it } from 'vitest';
import { builtinConverters } from '../../../lib/converters/index.ts';
import type { Converter, HeaderConverter } from '../../../lib/plugins/plugin-types.ts';

describe('builtinConverters', () => {
  const byType = (type: string) => builtinConverters.filter((d) => d.type === type).map((d) => d.className);

  it('registers Apache class names as converters', () => {
    expect(byType('converter')).toEqual([
      'org.apache.kafka.connect.json.JsonConverter',
      'org.apache.kafka.connect.storage.StringConverter',
      'org.apache.kafka.connect.converters.ByteArrayConverter',
      'org.apache.kafka.connect.converters.BooleanConverter',
      'org.apache.kafka.connect.converters.DoubleConverter',
      'org.apache.kafka.connect.converters.FloatConverter',
      'org.apache.kafka.connect.converters.IntegerConverter',
      'org.apache.kafka.connect.converters.LongConverter',
      'org.apache.kafka.connect.converters.ShortConverter',
      'io.confluent.connect.avro.AvroConverter',
      'io.confluent.connect.protobuf.ProtobufConverter',
      'io.confluent.connect.json.JsonSchemaConverter',
    ]);
  });

  it('registers header converters, including JsonConverter and StringConverter a second time', () => {
    const headers = byType('header_converter');
    expect(headers).toContain('org.apache.kafka.connect.storage.SimpleHeaderConverter');
    expect(headers).toContain('org.apache.kafka.connect.json.JsonConverter');
    expect(headers).toContain('org.apache.kafka.connect.storage.StringConverter');
    expect(builtinConverters.every((d) => d.version === '0.1.0')).toBe(true);
  });

  it('creates working instances with a config definition', () => {
    for (const d of builtinConverters) {
      const instance = d.create() as Converter & HeaderConverter;
      expect(instance.config?.()).toBeDefined();
      if (d.type === 'converter') {
        // Schema Registry converters need their one required key.
        instance.configure(d.className.startsWith('io.confluent.') ? { 'schema.registry.url': 'http://127.0.0.1:1' } : {}, false);
        expect(instance.fromConnectData('t', null, null)).toBeNull();
      } else {
        instance.configure({});
        expect(instance.toConnectHeader('t', 'k', null).value).toBeNull();
      }
    }
  });
});
