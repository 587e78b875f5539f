/**
 * The `tributary` command: start the local stack, and operate any Tributary (local or on AWS)
 * through its Kafka Connect REST API. Exit codes: 0 done, 1 refused or failed, 2 usage,
 * 3 endpoint unreachable (see cli-errors.ts).
 */
import { Command, CommanderError } from 'commander';
import { CliError, EXIT } from './cli-errors.ts';
import { commandEnv, type GlobalOptions } from './command-env.ts';
import { applyCommand } from './commands/apply-command.ts';
import { configCommands } from './commands/config-commands.ts';
import { connectorCommands } from './commands/connector-commands.ts';
import { diffCommand } from './commands/diff-command.ts';
import { offsetsCommands } from './commands/offsets-commands.ts';
import { pluginCommands } from './commands/plugin-commands.ts';
import { proxyCommand } from './commands/proxy-command.ts';
import { startCommand } from './commands/start-command.ts';
import { watchCommand } from './commands/watch-command.ts';

export function buildProgram(): Command {
  const program = new Command('tributary')
    .description('Kafka Connect without a worker cluster')
    .option('--url <url>', 'REST API base URL (overrides the context)')
    .option('--context <name>', 'a named context from the config file')
    .option('--aws-region <region>', 'sign --url requests with SigV4 for this region')
    .option('-o, --output <format>', 'table, json or yaml', 'table')
    .showSuggestionAfterError()
    .exitOverride();
  const envOf = (cmd: Command) => commandEnv(cmd.optsWithGlobals<GlobalOptions>());
  startCommand(program);
  connectorCommands(program, envOf);
  applyCommand(program, envOf);
  diffCommand(program, envOf);
  offsetsCommands(program, envOf);
  pluginCommands(program, envOf);
  watchCommand(program, envOf);
  proxyCommand(program);
  configCommands(program);
  for (const c of program.commands) c.exitOverride();
  return program;
}

/** Runs one command line; resolves to the process exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (e instanceof CliError) {
      process.stderr.write(`Error: ${e.message}\n`);
      return e.exitCode;
    }
    process.stderr.write(`Error: ${(e as Error).stack ?? String(e)}\n`);
    return EXIT.failed;
  }
}

