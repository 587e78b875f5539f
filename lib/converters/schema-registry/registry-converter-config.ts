/**
 * The settings Confluent's Schema Registry converters share (AbstractKafkaSchemaSerDeConfig and
 * AvroDataConfig), under Confluent's names and defaults, so `value.converter.*` keys move over unchanged.
 */
import { ConfigDef, ConfigError } from '../../config/config-def.ts';
import type { ConfigValueType, Validator } from '../../config/config-def.ts';
import type { Props } from '../../plugins/plugin-types.ts';
import { newConverterConfigDef, oneOf, resolveConverterType, withConverterType } from '../converter-config.ts';
import { parseStrategy, type SubjectNameStrategy } from './subject-name-strategy.ts';

export const SCHEMA_REGISTRY_URL_CONFIG = 'schema.registry.url';
export const BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG = 'basic.auth.credentials.source';
export const BASIC_AUTH_USER_INFO_CONFIG = 'basic.auth.user.info';
export const AUTO_REGISTER_SCHEMAS_CONFIG = 'auto.register.schemas';
export const USE_LATEST_VERSION_CONFIG = 'use.latest.version';
export const LATEST_COMPATIBILITY_STRICT_CONFIG = 'latest.compatibility.strict';
export const KEY_SUBJECT_NAME_STRATEGY_CONFIG = 'key.subject.name.strategy';
export const VALUE_SUBJECT_NAME_STRATEGY_CONFIG = 'value.subject.name.strategy';
export const MAX_SCHEMAS_PER_SUBJECT_CONFIG = 'max.schemas.per.subject';
export const SCHEMAS_CACHE_CONFIG = 'schemas.cache.config';
export const ENHANCED_AVRO_SCHEMA_SUPPORT_CONFIG = 'enhanced.avro.schema.support';
export const CONNECT_META_DATA_CONFIG = 'connect.meta.data';

const TOPIC_NAME_STRATEGY = 'io.confluent.kafka.serializers.subject.TopicNameStrategy';

/** Every URL must be absolute http(s); Confluent fails the same way on a malformed one. */
const registryUrls: Validator = (name, value) => {
  const urls = Array.isArray(value) ? value : [];
  if (urls.length === 0) throw new ConfigError(`Invalid value for configuration ${name}: at least one Schema Registry URL is required`, name);
  for (const u of urls) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(u);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || !parsed.hostname) {
      throw new ConfigError(`Invalid value ${u} for configuration ${name}: not a valid http or https URL`, name);
    }
  }
};

const strategyValidator: Validator = (name, value) => {
  if (typeof value !== 'string') return;
  try {
    parseStrategy(value);
  } catch (e) {
    throw new ConfigError(`Invalid value ${value} for configuration ${name}: ${(e as Error).message}`, name);
  }
};

/** The keys every Schema Registry converter takes; format-specific keys are added by each converter. */
export function registryConverterConfigDef(): ConfigDef {
  const def = newConverterConfigDef()
    .define({
      name: SCHEMA_REGISTRY_URL_CONFIG,
      type: 'LIST',
      importance: 'HIGH',
      documentation: 'Comma-separated list of URLs for Schema Registry instances that can be used to register or look up schemas.',
      validator: registryUrls,
    })
    .define({
      name: BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG,
      type: 'STRING',
      defaultValue: 'URL',
      importance: 'MEDIUM',
      documentation:
        'Specify how to pick the credentials for the Basic Auth header. The supported values are URL (user info in the URL) and USER_INFO (basic.auth.user.info).',
      validator: oneOf(false, 'URL', 'USER_INFO'),
      validValues: '[URL, USER_INFO]',
    })
    .define({
      name: BASIC_AUTH_USER_INFO_CONFIG,
      type: 'PASSWORD',
      defaultValue: '',
      importance: 'MEDIUM',
      documentation: 'Specify the user info for the basic HTTP auth in the form of {username}:{password}',
    })
    .define({
      name: AUTO_REGISTER_SCHEMAS_CONFIG,
      type: 'BOOLEAN',
      defaultValue: true,
      importance: 'MEDIUM',
      documentation: 'Specify if the Serializer should attempt to register the Schema with Schema Registry',
    })
    .define({
      name: USE_LATEST_VERSION_CONFIG,
      type: 'BOOLEAN',
      defaultValue: false,
      importance: 'LOW',
      documentation: 'Specify if the Serializer should use the latest subject version for serialization',
    })
    .define({
      name: LATEST_COMPATIBILITY_STRICT_CONFIG,
      type: 'BOOLEAN',
      defaultValue: true,
      importance: 'LOW',
      documentation:
        'Only applies when use.latest.version is set to true. If true, a check is performed to ensure the latest subject version can read data written with the schema of the object being serialized; if false, no check is performed.',
    })
    .define({
      name: MAX_SCHEMAS_PER_SUBJECT_CONFIG,
      type: 'INT',
      defaultValue: 1000,
      importance: 'LOW',
      documentation: 'Maximum number of schemas to create or cache locally.',
    });
  for (const name of [KEY_SUBJECT_NAME_STRATEGY_CONFIG, VALUE_SUBJECT_NAME_STRATEGY_CONFIG]) {
    def.define({
      name,
      type: 'CLASS',
      defaultValue: TOPIC_NAME_STRATEGY,
      importance: 'MEDIUM',
      documentation: `Determines how to construct the subject name under which the ${name.startsWith('key') ? 'key' : 'value'} schema is registered with the schema registry: TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy.`,
      validator: strategyValidator,
    });
  }
  return def.define({
    name: SCHEMAS_CACHE_CONFIG,
    type: 'INT',
    defaultValue: 1000,
    importance: 'LOW',
    documentation: 'Size of the converted schemas cache',
  });
}

/** The AvroDataConfig keys, also taken by the Protobuf and JSON Schema converters. */
export function withConnectDataKeys(def: ConfigDef): ConfigDef {
  return def
    .define({
      name: ENHANCED_AVRO_SCHEMA_SUPPORT_CONFIG,
      type: 'BOOLEAN',
      defaultValue: false,
      importance: 'MEDIUM',
      documentation: 'Toggle for enabling/disabling enhanced avro schema support: Enum symbol preservation and Package Name awareness',
    })
    .define({
      name: CONNECT_META_DATA_CONFIG,
      type: 'BOOLEAN',
      defaultValue: true,
      importance: 'LOW',
      documentation: 'Toggle for enabling/disabling connect converter to add its meta data to the output schema or not',
    });
}

/** The parsed settings of a Schema Registry converter. */
export interface RegistryConverterSettings {
  readonly isKey: boolean;
  readonly urls: string[];
  readonly userInfo: string | undefined;
  readonly autoRegister: boolean;
  readonly useLatestVersion: boolean;
  readonly latestCompatibilityStrict: boolean;
  readonly subjectNameStrategy: SubjectNameStrategy;
  readonly schemasCacheSize: number;
  readonly enhancedSchemaSupport: boolean;
  readonly connectMetaData: boolean;
  readonly raw: Readonly<Record<string, ConfigValueType>>;
}

/** Parses a converter's props (as configure receives them); throws ConfigError naming the bad key. */
export function parseRegistrySettings(def: ConfigDef, props: Props, isKey: boolean | undefined): RegistryConverterSettings {
  const type = resolveConverterType(props, isKey);
  const p = def.parse(withConverterType(props, type));
  const key = type === 'key';
  const source = String(p[BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG]);
  const userInfo = String(p[BASIC_AUTH_USER_INFO_CONFIG] ?? '');
  return {
    isKey: key,
    urls: p[SCHEMA_REGISTRY_URL_CONFIG] as string[],
    userInfo: source === 'USER_INFO' && userInfo !== '' ? userInfo : undefined,
    autoRegister: p[AUTO_REGISTER_SCHEMAS_CONFIG] as boolean,
    useLatestVersion: p[USE_LATEST_VERSION_CONFIG] as boolean,
    latestCompatibilityStrict: p[LATEST_COMPATIBILITY_STRICT_CONFIG] as boolean,
    subjectNameStrategy: parseStrategy(String(p[key ? KEY_SUBJECT_NAME_STRATEGY_CONFIG : VALUE_SUBJECT_NAME_STRATEGY_CONFIG])),
    schemasCacheSize: p[SCHEMAS_CACHE_CONFIG] as number,
    enhancedSchemaSupport: (p[ENHANCED_AVRO_SCHEMA_SUPPORT_CONFIG] as boolean | undefined) ?? false,
    connectMetaData: (p[CONNECT_META_DATA_CONFIG] as boolean | undefined) ?? true,
    raw: p,
  };
}
