/** `tributary config …`: named contexts, as `kubectl config` keeps them. */
import type { Command } from 'commander';
import { configPath, readConfig, writeConfig } from '../cli-context.ts';
import { UsageError } from '../cli-errors.ts';
import { table } from '../output.ts';

export function configCommands(program: Command): void {
  const config = program.command('config').description(`named contexts (in ${configPath()})`);
  config
    .command('get-contexts')
    .description('list contexts; * marks the current one')
    .action(() => {
      const c = readConfig();
      process.stdout.write(
        table(
          ['current', 'name', 'url', 'aws'],
          Object.entries(c.contexts).map(([n, x]) => [n === c['current-context'] ? '*' : '', n, x.url, x.aws ? `${x.aws.region}${x.aws.profile ? ` (${x.aws.profile})` : ''}` : '']),
        ),
      );
    });
  config
    .command('set-context <name>')
    .description('add or change a context; --region makes it an AWS one (requests signed with SigV4)')
    .requiredOption('--server <url>', 'the REST API base URL')
    .option('--region <region>', 'AWS region of a deployed stack')
    .option('--profile <profile>', 'AWS profile to sign with')
    .action((name: string, o: { server: string; region?: string; profile?: string }) => {
      const c = readConfig();
      if (o.profile && !o.region) throw new UsageError('--profile needs --region');
      c.contexts[name] = { url: o.server, ...(o.region ? { aws: { region: o.region, ...(o.profile ? { profile: o.profile } : {}) } } : {}) };
      c['current-context'] ??= name;
      writeConfig(c);
      process.stdout.write(`context ${name} set\n`);
    });
  config
    .command('use-context <name>')
    .action((name: string) => {
      const c = readConfig();
      if (!c.contexts[name]) throw new UsageError(`No context named ${name}`);
      writeConfig({ ...c, 'current-context': name });
      process.stdout.write(`switched to context ${name}\n`);
    });
}
