// kafkajs 2.2.4 (its final release) groups messages per partition by copying the array for
// every message: quadratic in the batch size, and the top cost of a busy runner in profiles.
// This postinstall step replaces that one file with a linear version of the same function.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let file;
try {
  file = require.resolve('kafkajs/src/producer/groupMessagesPerPartition.js');
} catch {
  process.exit(0); // kafkajs not installed (e.g. a production install without it)
}
const linear = `// Patched by scripts/patch-kafkajs.mjs: linear grouping (the original copies per message).
module.exports = ({ topic, partitionMetadata, messages, partitioner }) => {
  if (partitionMetadata.length === 0) {
    return {}
  }
  const result = {}
  for (const message of messages) {
    const partition = partitioner({ topic, partitionMetadata, message })
    ;(result[partition] || (result[partition] = [])).push(message)
  }
  return result
}
`;
if (existsSync(file) && readFileSync(file, 'utf8') !== linear) writeFileSync(file, linear);
