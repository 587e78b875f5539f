/**
 * Config shared by every converter (Connect's ConverterConfig): `converter.type`, which the
 * runtime sets to key, value or header. Validation of a connector's converter settings must
 * add it the way Connect's AbstractHerder does, e.g. `withConverterType(props, 'value')`.
 */
import { ConfigDef, ConfigError } from '../config/config-def.ts';
import type { Validator } from '../config/config-def.ts';
import type { Props } from '../plugins/plugin-types.ts';

export const CONVERTER_TYPE_CONFIG = 'converter.type';
export type ConverterType = 'key' | 'value' | 'header';

export const PLUGIN_VERSION = '0.1.0';

/** A ConfigDef holding `converter.type`, to which converters add their own keys. */
export function newConverterConfigDef(): ConfigDef {
  return new ConfigDef().define({
    name: CONVERTER_TYPE_CONFIG,
    type: 'STRING',
    importance: 'LOW',
    documentation: 'How this converter will be used.',
    validator: oneOf(false, 'key', 'value', 'header'),
    validValues: '[key, value, header]',
  });
}

/** Props with `converter.type` set as Connect sets it before configuring a converter. */
export function withConverterType(props: Props, type: ConverterType): Props {
  return { ...props, [CONVERTER_TYPE_CONFIG]: type };
}

/** The converter type for a configure call: `isKey` when given, else `converter.type`, else header. */
export function resolveConverterType(props: Props, isKey: boolean | undefined): ConverterType {
  if (isKey !== undefined) return isKey ? 'key' : 'value';
  const t = props[CONVERTER_TYPE_CONFIG];
  return t === 'key' || t === 'value' ? t : 'header';
}

/** ValidString.in / CaseInsensitiveValidString.in. */
export function oneOf(caseInsensitive: boolean, ...allowed: string[]): Validator {
  const norm = (s: string) => (caseInsensitive ? s.toUpperCase() : s);
  const set = new Set(allowed.map(norm));
  return (name, value) => {
    if (value === null) return;
    if (!set.has(norm(String(value)))) {
      throw new ConfigError(`Invalid value ${String(value)} for configuration ${name}: String must be one of: ${allowed.join(', ')}`, name);
    }
  };
}
