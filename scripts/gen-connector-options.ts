/**
 * Fills the options tables of hand-written connector pages from the connectors' ConfigDefs:
 * the text between `<!-- options:<class> -->` and `<!-- /options -->` is replaced.
 * Run: `npx tsx scripts/gen-connector-options.ts` (from the repository root).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pluginRegistry } from '../lib/catalog/builtin-plugins.ts';
import { renderConfigTable } from '../lib/config/config-docs.ts';
import type { Connector } from '../lib/plugins/plugin-types.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PAGES = ['http-sink.md', 'rabbitmq.md', 'mqtt.md', 'cassandra-sink.md'];

const registry = await pluginRegistry({});
for (const page of PAGES) {
  const file = join(root, 'docs/connectors', page);
  const text = readFileSync(file, 'utf8').replace(/<!-- options:(\S+) -->[\s\S]*?<!-- \/options -->/g, (_, cls: string) => {
    const descriptor = registry.find(cls, ['source', 'sink']);
    if (!descriptor) throw new Error(`${page}: no connector ${cls}`);
    return `<!-- options:${cls} -->\n${renderConfigTable((descriptor.create() as Connector).config())}\n<!-- /options -->`;
  });
  writeFileSync(file, text);
}
console.log(`filled the options tables of ${PAGES.join(', ')}`);
