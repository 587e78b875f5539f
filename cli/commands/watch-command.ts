/** `tributary watch`: the connector table, redrawn as states change. */
import type { Command } from 'commander';
import type { CommandEnv } from '../command-env.ts';
import { connectorTable } from './connector-commands.ts';

export function watchCommand(program: Command, envOf: (cmd: Command) => CommandEnv): void {
  program
    .command('watch')
    .description('a live view of connector and task states (Ctrl-C to stop)')
    .option('-n, --interval <ms>', 'refresh interval in milliseconds', '1000')
    .option('--count <n>', 'stop after n refreshes (for scripts)')
    .action(async (o: { interval: string; count?: string }, cmd: Command) => {
      const env = envOf(cmd);
      const interval = Math.max(100, Number(o.interval) || 1000);
      const limit = o.count === undefined ? Infinity : Number(o.count);
      const tty = process.stdout.isTTY;
      let last = '';
      for (let i = 0; i < limit; i++) {
        const view = connectorTable(await env.client().listConnectors());
        if (view !== last) {
          // On a terminal, redraw in place; in a pipe, print each change once with a time stamp.
          env.out(tty ? `\x1b[H\x1b[2J${new Date().toISOString()}\n${view}` : `${new Date().toISOString()}\n${view}`);
          last = view;
        }
        if (i + 1 < limit) await new Promise((r) => setTimeout(r, interval));
      }
    });
}
