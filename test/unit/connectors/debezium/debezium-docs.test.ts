/**
 * The options tables of docs/connectors/debezium-*.md are generated from the ConfigDefs. This
 * test fails when they drift; `UPDATE_DOCS=1` rewrites them instead.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ConfigDef } from '../../../../lib/config/config-def.ts';
import { renderConfigTable } from '../../../../lib/config/config-docs.ts';
import { myConfigDef } from '../../../../lib/connectors/debezium-mysql/my-config.ts';
import { pgConfigDef } from '../../../../lib/connectors/debezium-postgres/pg-config.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const START = /<!-- config-table:start[^>]*-->\n/;
const END = '<!-- config-table:end -->';

describe.each([
  ['docs/connectors/debezium-postgres.md', pgConfigDef],
  ['docs/connectors/debezium-mysql.md', myConfigDef],
] as const)('%s', (path, defOf: () => ConfigDef) => {
  it('has the options table of its ConfigDef', () => {
    const file = join(root, path);
    const text = readFileSync(file, 'utf8');
    const start = START.exec(text);
    const end = text.indexOf(END);
    expect(start, `${path} lacks the config-table markers`).not.toBeNull();
    const from = (start?.index ?? 0) + (start?.[0].length ?? 0);
    const expected = renderConfigTable(defOf());
    if (process.env['UPDATE_DOCS'] === '1') {
      writeFileSync(file, text.slice(0, from) + expected + text.slice(end));
      return;
    }
    expect(text.slice(from, end)).toBe(expected);
  });
});
