/** `tributary offsets get|set|reset NAME`: Connect's offsets API, from a terminal. */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { UsageError } from '../cli-errors.ts';
import type { CommandEnv } from '../command-env.ts';
import type { OffsetEntry } from '../connect-client.ts';
import { printStructured, table } from '../output.ts';

export function offsetsCommands(program: Command, envOf: (cmd: Command) => CommandEnv): void {
  const offsets = program.command('offsets').description("read and alter a connector's offsets (alter and reset need it STOPPED)");
  offsets
    .command('get <name>')
    .action(async (name: string, _o, cmd: Command) => {
      const env = envOf(cmd);
      const { offsets: list } = await env.client().offsets(name);
      if (printStructured(env.format, { offsets: list })) return;
      env.out(table(['partition', 'offset'], list.map((o) => [JSON.stringify(o.partition), JSON.stringify(o.offset)])));
    });
  offsets
    .command('set <name>')
    .description('alter offsets from a JSON file ({"offsets":[{partition, offset}]}) or inline JSON')
    .option('-f, --file <path>', 'JSON file with the offsets')
    .option('--json <json>', 'the offsets as inline JSON')
    .action(async (name: string, o: { file?: string; json?: string }, cmd: Command) => {
      const env = envOf(cmd);
      const result = await env.client().alterOffsets(name, offsetsArg(o));
      if (!printStructured(env.format, result)) env.out(`${result.message}\n`);
    });
  offsets
    .command('reset <name>')
    .description('reset every offset of a STOPPED connector')
    .action(async (name: string, _o, cmd: Command) => {
      const env = envOf(cmd);
      const result = await env.client().resetOffsets(name);
      if (!printStructured(env.format, result)) env.out(`${result.message}\n`);
    });
}

function offsetsArg(o: { file?: string; json?: string }): OffsetEntry[] {
  if ((o.file === undefined) === (o.json === undefined)) throw new UsageError('give exactly one of --file or --json');
  let parsed: unknown;
  try {
    parsed = JSON.parse(o.file !== undefined ? readFileSync(o.file, 'utf8') : (o.json ?? ''));
  } catch (e) {
    throw new UsageError(`offsets are not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { offsets?: unknown } | null)?.offsets;
  if (!Array.isArray(list)) throw new UsageError('offsets must be {"offsets": [{"partition": {...}, "offset": {...}}]} or a list of such entries');
  return list as OffsetEntry[];
}
