/**
 * org.apache.kafka.connect.storage.SimpleHeaderConverter: header values as UTF-8 text in
 * Connect's Values format, parsed back with an inferred schema.
 */
import { ConfigDef } from '../config/config-def.ts';
import { Schemas } from '../plugins/connect-schema.ts';
import type { Schema } from '../plugins/connect-schema.ts';
import type { HeaderConverter, Props, SchemaAndValue } from '../plugins/plugin-types.ts';
import { PLUGIN_VERSION } from './converter-config.ts';
import { convertToString, parseString } from './values.ts';

export class SimpleHeaderConverter implements HeaderConverter {
  static readonly overview =
    'Writes header values as UTF-8 text (strings bare, lists as `[a,b]`, maps as `{k:v}`, dates in ISO-8601) and reads them back, ' +
    'inferring booleans, numbers, dates, lists and maps; anything else is a string.';

  version(): string {
    return PLUGIN_VERSION;
  }

  config(): ConfigDef {
    return new ConfigDef();
  }

  configure(_props: Props): void {}

  fromConnectHeader(_topic: string, _headerKey: string, schema: Schema | null | undefined, value: unknown): Buffer | null {
    if (value === null || value === undefined) return null;
    return Buffer.from(convertToString(schema ?? null, value) ?? '', 'utf8');
  }

  toConnectHeader(_topic: string, _headerKey: string, value: Buffer | null): SchemaAndValue {
    if (value === null || value === undefined) return { schema: null, value: null };
    const bytes = Buffer.from(value);
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    try {
      return parseString(text.decode(bytes));
    } catch (e) {
      // Not UTF-8 text: keep the raw bytes, as Connect does when parsing fails.
      if (e instanceof TypeError) return { schema: Schemas.BYTES, value: bytes };
      throw e;
    }
  }

  close(): void {}
}
