/** `tributary plugins` and `tributary validate -f FILE`. */
import type { Command } from 'commander';
import { CliError, UsageError } from '../cli-errors.ts';
import type { CommandEnv } from '../command-env.ts';
import { readManifests } from '../connector-manifests.ts';
import { printStructured, table } from '../output.ts';

export function pluginCommands(program: Command, envOf: (cmd: Command) => CommandEnv): void {
  program
    .command('plugins')
    .description('installed connector plugins (--all adds converters, transforms and predicates)')
    .option('--all', 'every plugin type', false)
    .action(async (o: { all: boolean }, cmd: Command) => {
      const env = envOf(cmd);
      const plugins = await env.client().plugins(!o.all);
      if (printStructured(env.format, plugins)) return;
      env.out(table(['class', 'type', 'version'], plugins.map((p) => [p.class, p.type, p.version])));
    });

  program
    .command('validate')
    .description("validate connector configs through the plugin's validate endpoint; exits 1 on any error")
    .requiredOption('-f, --file <path>', 'file or folder of connectors')
    .action(async (o: { file: string }, cmd: Command) => {
      const env = envOf(cmd);
      const results = [];
      for (const m of readManifests(o.file)) {
        const cls = m.config['connector.class'];
        if (!cls) throw new UsageError(`${m.source}: connector ${m.name} has no connector.class`);
        const r = await env.client().validate(cls, { ...m.config, name: m.name });
        const errors = r.configs.filter((c) => c.value.errors.length).map((c) => ({ key: c.value.name, errors: c.value.errors }));
        results.push({ name: m.name, error_count: r.error_count, errors });
      }
      if (!printStructured(env.format, results)) {
        for (const r of results) {
          env.out(`${r.name}: ${r.error_count === 0 ? 'valid' : `${r.error_count} error(s)`}\n`);
          if (r.errors.length) env.out(table(['key', 'error'], r.errors.flatMap((e) => e.errors.map((msg) => [e.key, msg]))));
        }
      }
      const bad = results.filter((r) => r.error_count > 0).length;
      if (bad) throw new CliError(`${bad} connector config(s) invalid`);
    });
}
