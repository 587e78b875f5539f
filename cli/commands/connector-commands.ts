/** Reading and acting on connectors: get, describe, create, delete, pause/resume/stop/restart, logs. */
import type { Command } from 'commander';
import type { ConnectorStatus, ExpandedConnector } from '../connect-client.ts';
import { readManifests } from '../connector-manifests.ts';
import type { CommandEnv } from '../command-env.ts';
import { heading, printStructured, state, table } from '../output.ts';

type EnvOf = (cmd: Command) => CommandEnv;

export function connectorCommands(program: Command, envOf: EnvOf): void {
  const get = program.command('get').description('list resources');
  get
    .command('connectors')
    .alias('connector')
    .description('connectors with type, class, state and running/total tasks')
    .action(async (_o, cmd: Command) => {
      const env = envOf(cmd);
      const all = await env.client().listConnectors();
      if (printStructured(env.format, all)) return;
      env.out(connectorTable(all));
    });

  const describe = program.command('describe').description('show one resource in detail');
  describe
    .command('connector <name>')
    .description('config (secrets masked), tasks with worker and trace, topics, offsets')
    .action(async (name: string, _o, cmd: Command) => {
      const env = envOf(cmd);
      const c = env.client();
      // The connector first: a missing one is then always reported by its own 404, not by whichever parallel request loses the race.
      const info = await c.connector(name);
      const [status, topics, offsets] = await Promise.all([c.status(name), c.topics(name).catch(() => ({})), c.offsets(name).catch(() => ({ offsets: [] }))]);
      const used = Object.values(topics)[0]?.topics ?? [];
      if (printStructured(env.format, { info, status, topics: used, offsets: offsets.offsets })) return;
      const lines = [
        `${heading('Name:')}   ${info.name}`,
        `${heading('Type:')}   ${info.type}`,
        `${heading('Class:')}  ${info.config['connector.class'] ?? ''}`,
        `${heading('State:')}  ${state(status.connector.state)} on ${status.connector.worker_id}`,
        ...(status.connector.trace ? [`${heading('Trace:')}  ${status.connector.trace}`] : []),
        heading('Config:'),
        ...Object.entries(info.config)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([k, v]) => `  ${k} = ${v}`),
        heading('Tasks:'),
      ];
      env.out(`${lines.join('\n')}\n`);
      env.out(indent(table(['id', 'state', 'worker'], status.tasks.map((t) => [String(t.id), state(t.state), t.worker_id]))));
      for (const t of status.tasks) if (t.trace) env.out(`  task ${t.id} trace:\n${indent(t.trace, 4)}\n`);
      env.out(`${heading('Topics:')} ${used.join(', ') || '(none yet)'}\n${heading('Offsets:')}\n`);
      env.out(indent(table(['partition', 'offset'], offsets.offsets.map((o) => [JSON.stringify(o.partition), JSON.stringify(o.offset)]))));
    });

  program
    .command('create')
    .description('create the connectors in a JSON or YAML file (fails on any that exists)')
    .requiredOption('-f, --file <path>', 'file or folder of connectors')
    .action(async (o: { file: string }, cmd: Command) => {
      const env = envOf(cmd);
      const created = [];
      for (const m of readManifests(o.file)) {
        created.push(await env.client().create(m.name, m.config, m.state));
        if (env.format === 'table') env.out(`connector/${m.name} created\n`);
      }
      printStructured(env.format, created);
    });

  program
    .command('delete <names...>')
    .description('delete connectors')
    .action(async (names: string[], _o, cmd: Command) => {
      const env = envOf(cmd);
      for (const n of names) {
        await env.client().delete(n);
        env.out(`connector/${n} deleted\n`);
      }
    });

  for (const action of ['pause', 'resume', 'stop'] as const) {
    program
      .command(`${action} <names...>`)
      .description(`${action} connectors (and their tasks)`)
      .action(async (names: string[], _o, cmd: Command) => {
        const env = envOf(cmd);
        for (const n of names) {
          await env.client().setState(n, action);
          env.out(`connector/${n} ${action === 'stop' ? 'stopped' : `${action}d`}\n`);
        }
      });
  }

  program
    .command('restart <names...>')
    .description("restart connectors, as Connect's POST /connectors/{name}/restart")
    .option('--include-tasks', 'restart the tasks too', false)
    .option('--only-failed', 'only instances that are FAILED', false)
    .action(async (names: string[], o: { includeTasks: boolean; onlyFailed: boolean }, cmd: Command) => {
      const env = envOf(cmd);
      for (const n of names) {
        const status = await env.client().restart(n, o);
        if (!printStructured(env.format, status ?? { name: n, restarted: true })) env.out(`connector/${n} restarted${status ? ` (${status.tasks.filter((t) => t.state === 'RESTARTING').length} task(s) restarting)` : ''}\n`);
      }
    });

  program
    .command('logs <name>')
    .description('failure traces and automatic restart history of a connector and its tasks')
    .action(async (name: string, _o, cmd: Command) => {
      const env = envOf(cmd);
      const status = await env.client().status(name);
      if (printStructured(env.format, status)) return;
      env.out(logsText(status));
    });
}

export function connectorTable(all: Readonly<Record<string, ExpandedConnector>>): string {
  const rows = Object.entries(all)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, c]) => {
      const tasks = c.status?.tasks ?? [];
      const cls = c.info?.config['connector.class'] ?? '';
      return [name, c.status?.type ?? c.info?.type ?? '', cls.slice(cls.lastIndexOf('.') + 1), state(c.status?.connector.state ?? 'UNASSIGNED'), `${tasks.filter((t) => t.state === 'RUNNING').length}/${tasks.length}`];
    });
  return table(['name', 'type', 'class', 'state', 'tasks'], rows);
}

export function logsText(status: ConnectorStatus): string {
  const parts: string[] = [];
  const instances = [{ label: 'connector', ...status.connector }, ...status.tasks.map((t) => ({ label: `task ${t.id}`, ...t }))];
  for (const i of instances) {
    parts.push(`${heading(`${i.label}:`)} ${state(i.state)} on ${i.worker_id}`);
    if (i.tributary) for (const [k, v] of Object.entries(i.tributary)) parts.push(`  ${k}: ${Array.isArray(v) ? v.join(', ') || '(none)' : String(v)}`);
    if (i.trace) parts.push(indent(i.trace, 2).trimEnd());
  }
  return `${parts.join('\n')}\n`;
}

function indent(text: string, n = 2): string {
  const pad = ' '.repeat(n);
  return text
    .split('\n')
    .map((l) => (l ? pad + l : l))
    .join('\n');
}
