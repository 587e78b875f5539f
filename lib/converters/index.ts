/**
 * Tributary's built-in converters and header converters, registered under Apache Kafka's
 * class names so existing connector configs work unchanged.
 */
import type { Converter, HeaderConverter, PluginDescriptor } from '../plugins/plugin-types.ts';
import { AvroConverter } from './avro/avro-converter.ts';
import { ByteArrayConverter } from './byte-array-converter.ts';
import { PLUGIN_VERSION } from './converter-config.ts';
import { JsonConverter } from './json-converter.ts';
import { JsonSchemaConverter } from './json-schema/json-schema-converter.ts';
import { ProtobufConverter } from './protobuf/protobuf-converter.ts';
import {
  BooleanConverter,
  DoubleConverter,
  FloatConverter,
  IntegerConverter,
  LongConverter,
  ShortConverter,
} from './number-converters.ts';
import { SimpleHeaderConverter } from './simple-header-converter.ts';
import { StringConverter } from './string-converter.ts';

export { AvroConverter } from './avro/avro-converter.ts';
export { ByteArrayConverter } from './byte-array-converter.ts';
export { CONVERTER_TYPE_CONFIG, withConverterType } from './converter-config.ts';
export type { ConverterType } from './converter-config.ts';
export { Decimal } from './logical-types.ts';
export { JsonConverter } from './json-converter.ts';
export { JsonSchemaConverter } from './json-schema/json-schema-converter.ts';
export { ProtobufConverter } from './protobuf/protobuf-converter.ts';
export { BooleanConverter, DoubleConverter, FloatConverter, IntegerConverter, LongConverter, ShortConverter } from './number-converters.ts';
export { SimpleHeaderConverter } from './simple-header-converter.ts';
export { StringConverter } from './string-converter.ts';

type Both = Converter & HeaderConverter;

/** Plugins that are both converters and header converters in Connect get one descriptor of each type. */
function both(className: string, create: () => Both): PluginDescriptor[] {
  return [
    { className, type: 'converter', version: PLUGIN_VERSION, create },
    { className, type: 'header_converter', version: PLUGIN_VERSION, create },
  ];
}

export const builtinConverters: PluginDescriptor[] = [
  ...both('org.apache.kafka.connect.json.JsonConverter', () => new JsonConverter()),
  ...both('org.apache.kafka.connect.storage.StringConverter', () => new StringConverter()),
  ...both('org.apache.kafka.connect.converters.ByteArrayConverter', () => new ByteArrayConverter()),
  ...both('org.apache.kafka.connect.converters.BooleanConverter', () => new BooleanConverter()),
  ...both('org.apache.kafka.connect.converters.DoubleConverter', () => new DoubleConverter()),
  ...both('org.apache.kafka.connect.converters.FloatConverter', () => new FloatConverter()),
  ...both('org.apache.kafka.connect.converters.IntegerConverter', () => new IntegerConverter()),
  ...both('org.apache.kafka.connect.converters.LongConverter', () => new LongConverter()),
  ...both('org.apache.kafka.connect.converters.ShortConverter', () => new ShortConverter()),
  // Confluent's Schema Registry converters are key/value converters only, as in Confluent Platform.
  { className: 'io.confluent.connect.avro.AvroConverter', type: 'converter', version: PLUGIN_VERSION, create: (): Converter => new AvroConverter() },
  { className: 'io.confluent.connect.protobuf.ProtobufConverter', type: 'converter', version: PLUGIN_VERSION, create: (): Converter => new ProtobufConverter() },
  { className: 'io.confluent.connect.json.JsonSchemaConverter', type: 'converter', version: PLUGIN_VERSION, create: (): Converter => new JsonSchemaConverter() },
  {
    className: 'org.apache.kafka.connect.storage.SimpleHeaderConverter',
    type: 'header_converter',
    version: PLUGIN_VERSION,
    create: (): HeaderConverter => new SimpleHeaderConverter(),
  },
];
