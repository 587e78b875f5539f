/**
 * The options tables of the AWS connectors' docs pages are generated from their ConfigDefs.
 * This test fails when they drift; `UPDATE_DOCS=1` rewrites them instead.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ConfigDef } from '../../../../lib/config/config-def.ts';
import { renderConfigTable } from '../../../../lib/config/config-docs.ts';
import { dynamoSinkConfigDef } from '../../../../lib/connectors/dynamodb/dynamodb-sink-config.ts';
import { s3SinkConfigDef } from '../../../../lib/connectors/s3/s3-sink-config.ts';
import { sqsSinkConfigDef, sqsSourceConfigDef } from '../../../../lib/connectors/sqs/sqs-config.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const START = /<!-- config-table:start[^>]*-->\n/;
const END = '<!-- config-table:end -->';

describe.each([
  ['docs/connectors/s3-sink.md', s3SinkConfigDef],
  ['docs/connectors/sqs-source.md', sqsSourceConfigDef],
  ['docs/connectors/sqs-sink.md', sqsSinkConfigDef],
  ['docs/connectors/dynamodb-sink.md', dynamoSinkConfigDef],
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
