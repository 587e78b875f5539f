/**
 * `tributary start` (what `npm start` runs): Tributary locally with its embedded defaults.
 * Ctrl-C or SIGTERM stops it cleanly; its state stays in the data directory.
 */
import type { Command } from 'commander';
import { PrerequisiteError } from '../../host/local-errors.ts';
import { startLocalHost } from '../../host/local-host.ts';
import { dataDir } from '../../host/local-paths.ts';
import { CliError } from '../cli-errors.ts';

export function startCommand(program: Command): void {
  program
    .command('start')
    .description('start Kafka, DynamoDB Local and the REST API on this machine (state in $TRIBUTARY_DATA_DIR)')
    .action(async () => {
      const say = (line: string) => console.log(`[tributary] ${line}`);
      let host;
      try {
        host = await startLocalHost({ log: say });
      } catch (e) {
        if (e instanceof PrerequisiteError) throw new CliError(e.message, { cause: e });
        throw e;
      }
      say(`Data directory: ${dataDir()}`);
      say(`Kafka bootstrap servers: ${host.bootstrapServers}`);
      say(`DynamoDB endpoint: ${host.dynamoEndpoint}`);
      if (host.schemaRegistryUrl) say(`Schema Registry (Confluent-compatible, for schema.registry.url): ${host.schemaRegistryUrl}`);
      say(`REST API (Kafka Connect compatible): ${host.restUrl}`);
      say(`Web console: ${host.restUrl}/ui`);
      say('Ready. Press Ctrl-C to stop.');
      const signal = await new Promise<string>((resolve) => {
        process.once('SIGINT', () => resolve('SIGINT'));
        process.once('SIGTERM', () => resolve('SIGTERM'));
      });
      say(`${signal} received: committing offsets and stopping...`);
      await host.stop();
      say('Stopped.');
      process.exit(0);
    });
}
