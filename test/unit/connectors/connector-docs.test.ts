/**
 * The options tables of the connector docs pages are generated from the connectors' ConfigDefs.
 * This test fails when one drifts; `UPDATE_DOCS=1` rewrites them instead.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ConfigDef } from '../../../lib/config/config-def.ts';
import { renderConfigTable } from '../../../lib/config/config-docs.ts';
import { datagenConfigDef } from '../../../lib/connectors/datagen/datagen-config.ts';
import { myConfigDef } from '../../../lib/connectors/debezium-mysql/my-config.ts';
import { pgConfigDef } from '../../../lib/connectors/debezium-postgres/pg-config.ts';
import { dynamoSinkConfigDef } from '../../../lib/connectors/dynamodb/dynamodb-sink-config.ts';
import { jdbcSinkConfigDef } from '../../../lib/connectors/jdbc/jdbc-sink-config.ts';
import { jdbcSourceConfigDef } from '../../../lib/connectors/jdbc/jdbc-source-config.ts';
import { s3SinkConfigDef } from '../../../lib/connectors/s3/s3-sink-config.ts';
import { sqsSinkConfigDef, sqsSourceConfigDef } from '../../../lib/connectors/sqs/sqs-config.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const START = /<!-- config-table:start[^>]*-->\n/;
const END = '<!-- config-table:end -->';

describe.each([
  ['docs/connectors/jdbc-source.md', jdbcSourceConfigDef],
  ['docs/connectors/jdbc-sink.md', jdbcSinkConfigDef],
  ['docs/connectors/datagen.md', datagenConfigDef],
  ['docs/connectors/debezium-postgres.md', pgConfigDef],
  ['docs/connectors/debezium-mysql.md', myConfigDef],
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
