/**
 * org.apache.kafka.connect.storage.StringConverter: values as text in `converter.encoding`;
 * reading always yields an optional string schema.
 */
import { ConfigError } from '../config/config-def.ts';
import type { ConfigDef } from '../config/config-def.ts';
import { Schemas } from '../plugins/connect-schema.ts';
import type { Schema } from '../plugins/connect-schema.ts';
import type { ConnectHeader } from '../plugins/connect-record.ts';
import type { Converter, HeaderConverter, Props, SchemaAndValue } from '../plugins/plugin-types.ts';
import { PLUGIN_VERSION, newConverterConfigDef, resolveConverterType, withConverterType } from './converter-config.ts';
import { convertToString } from './values.ts';

export const ENCODING_CONFIG = 'converter.encoding';

interface Charset {
  encode(text: string): Buffer;
  decode(bytes: Buffer): string;
}

function nodeCharset(encoding: BufferEncoding): Charset {
  return { encode: (t) => Buffer.from(t, encoding), decode: (b) => b.toString(encoding) };
}

const utf16be: Charset = {
  encode: (t) => Buffer.from(t, 'utf16le').swap16(),
  decode: (b) => Buffer.from(b.subarray(0, b.length - (b.length % 2))).swap16().toString('utf16le'),
};

/** Java's "UTF-16": big-endian with a byte-order mark when writing; honours a BOM when reading. */
const utf16: Charset = {
  encode: (t) => Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be.encode(t)]),
  decode: (b) => {
    if (b[0] === 0xff && b[1] === 0xfe) return b.subarray(2).toString('utf16le');
    return utf16be.decode(b[0] === 0xfe && b[1] === 0xff ? b.subarray(2) : b);
  },
};

const CHARSETS = new Map<string, Charset>([
  ['UTF-8', nodeCharset('utf8')],
  ['UTF8', nodeCharset('utf8')],
  ['UTF-16LE', nodeCharset('utf16le')],
  ['UTF-16BE', utf16be],
  ['UTF-16', utf16],
  ['ISO-8859-1', nodeCharset('latin1')],
  ['LATIN1', nodeCharset('latin1')],
  ['US-ASCII', nodeCharset('ascii')],
  ['ASCII', nodeCharset('ascii')],
]);

export function stringConverterConfigDef(): ConfigDef {
  return newConverterConfigDef().define({
    name: ENCODING_CONFIG,
    type: 'STRING',
    defaultValue: 'UTF-8',
    importance: 'HIGH',
    documentation: 'The name of the Java character set to use for encoding strings as byte arrays.',
    validator: (name, value) => {
      if (typeof value === 'string' && !CHARSETS.has(value.trim().toUpperCase())) {
        throw new ConfigError(
          `Invalid value ${value} for configuration ${name}: Unsupported encoding; supported are ${[...CHARSETS.keys()].join(', ')}`,
          name,
        );
      }
    },
    validValues: '[UTF-8, UTF-16, UTF-16BE, UTF-16LE, ISO-8859-1, US-ASCII]',
    width: 'MEDIUM',
    displayName: 'Encoding',
  });
}

/** Connect's StringConverter. Non-string values are written in their Connect text form (Values.convertToString). */
export class StringConverter implements Converter, HeaderConverter {
  static readonly overview =
    'Writes values as text in the configured character set and reads bytes back as an optional string. ' +
    'Non-string values are written in their text form.';

  private charset: Charset = nodeCharset('utf8');

  version(): string {
    return PLUGIN_VERSION;
  }

  config(): ConfigDef {
    return stringConverterConfigDef();
  }

  configure(props: Props, isKey?: boolean): void {
    const parsed = this.config().parse(withConverterType(props, resolveConverterType(props, isKey)));
    this.charset = CHARSETS.get(String(parsed[ENCODING_CONFIG]).trim().toUpperCase()) ?? nodeCharset('utf8');
  }

  fromConnectData(_topic: string, schema: Schema | null | undefined, value: unknown, _headers?: ConnectHeader[]): Buffer | null {
    if (value === null || value === undefined) return null;
    const text = typeof value === 'string' ? value : (convertToString(schema ?? null, value) ?? '');
    return this.charset.encode(text);
  }

  toConnectData(_topic: string, value: Buffer | null, _headers?: readonly ConnectHeader[]): SchemaAndValue {
    return { schema: Schemas.OPTIONAL_STRING, value: value === null || value === undefined ? null : this.charset.decode(Buffer.from(value)) };
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null | undefined, value: unknown): Buffer | null {
    return this.fromConnectData(topic, schema, value);
  }

  toConnectHeader(topic: string, _headerKey: string, value: Buffer | null): SchemaAndValue {
    return this.toConnectData(topic, value);
  }

  close(): void {}
}
