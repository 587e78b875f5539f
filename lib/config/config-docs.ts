/**
 * Markdown rendering of a ConfigDef for plugin docs pages: one row per key with its type,
 * default, importance and documentation.
 */
import { NO_DEFAULT } from './config-def.ts';
import type { ConfigDef, ConfigKey } from './config-def.ts';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function renderDefault(key: ConfigKey): string {
  const d = key.defaultValue;
  if (d === NO_DEFAULT) return '*(required)*';
  if (d === null) return '`null`';
  if (Array.isArray(d)) return d.length === 0 ? '`""`' : `\`${d.join(',')}\``;
  if (d === '') return '`""`';
  return `\`${String(d)}\``;
}

function renderDoc(key: ConfigKey): string {
  const doc = key.documentation.replace(/<\/?code>/g, '`').replace(/<p\/?>|<br\/?>/g, ' ').trim();
  if (!key.validValues) return doc;
  return `${doc}${/[.!?]$/.test(doc) || doc === '' ? ' ' : '. '}Valid values: ${key.validValues}.`.trim();
}

/** A Markdown table of the definition's keys (internal keys omitted), or a note when it has none. */
export function renderConfigTable(def: ConfigDef): string {
  const keys = def.configKeys().filter((k) => !k.internal);
  if (keys.length === 0) return '_This plugin has no options._\n';
  const rows = keys.map(
    (k) => `| \`${k.name}\` | ${k.type.toLowerCase()} | ${cell(renderDefault(k))} | ${k.importance.toLowerCase()} | ${cell(renderDoc(k))} |`,
  );
  return ['| Name | Type | Default | Importance | Documentation |', '| --- | --- | --- | --- | --- |', ...rows].join('\n') + '\n';
}
