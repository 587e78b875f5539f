/**
 * `npm start`: starts Tributary locally with its embedded defaults and prints where to
 * reach it. Ctrl-C or SIGTERM stops it cleanly; its state stays in the data directory.
 */
import { PrerequisiteError } from '../host/local-errors.ts';
import { startLocalHost } from '../host/local-host.ts';
import { dataDir } from '../host/local-paths.ts';

const command = process.argv[2] ?? 'start';
if (command !== 'start') {
  console.error(`Unknown command ${command}. Usage: tributary start`);
  process.exit(2);
}

const say = (line: string) => console.log(`[tributary] ${line}`);
try {
  const host = await startLocalHost({ log: say });
  say(`Data directory: ${dataDir()}`);
  say(`Kafka bootstrap servers: ${host.bootstrapServers}`);
  say(`DynamoDB endpoint: ${host.dynamoEndpoint}`);
  if (host.schemaRegistryUrl) say(`Schema Registry (Confluent-compatible, for schema.registry.url): ${host.schemaRegistryUrl}`);
  say(`REST API (Kafka Connect compatible): ${host.restUrl}`);
  say('Ready. Press Ctrl-C to stop.');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal} received: committing offsets and stopping...`);
    host.stop().then(
      () => {
        say('Stopped.');
        process.exit(0);
      },
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
} catch (e) {
  if (e instanceof PrerequisiteError) {
    console.error(`[tributary] ${e.message}`);
    process.exit(1);
  }
  throw e;
}
