/** The ProtobufDataConfig keys of Confluent's ProtobufConverter that shape the schema mapping. */
import type { ConfigDef } from '../../config/config-def.ts';

export const ENHANCED_PROTOBUF_SCHEMA_SUPPORT_CONFIG = 'enhanced.protobuf.schema.support';
export const WRAPPER_FOR_NULLABLES_CONFIG = 'wrapper.for.nullables';
export const OPTIONAL_FOR_NULLABLES_CONFIG = 'optional.for.nullables';

export function withProtobufDataKeys(def: ConfigDef): ConfigDef {
  return def
    .define({
      name: ENHANCED_PROTOBUF_SCHEMA_SUPPORT_CONFIG,
      type: 'BOOLEAN',
      defaultValue: false,
      importance: 'MEDIUM',
      documentation: 'Toggle for enabling/disabling enhanced protobuf schema support: package name awareness (Connect schema names keep the Protobuf package)',
    })
    .define({
      name: WRAPPER_FOR_NULLABLES_CONFIG,
      type: 'BOOLEAN',
      defaultValue: false,
      importance: 'MEDIUM',
      documentation: 'Whether optional Connect primitives are written as google.protobuf wrapper messages, so null stays apart from the default value',
    })
    .define({
      name: OPTIONAL_FOR_NULLABLES_CONFIG,
      type: 'BOOLEAN',
      defaultValue: false,
      importance: 'MEDIUM',
      documentation: 'Whether optional Connect primitives are written as proto3 optional fields, so null stays apart from the default value',
    });
}
