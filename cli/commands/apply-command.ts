/** `tributary apply -f FILE|DIR [--prune] [--dry-run]`: make what runs match what is declared. */
import type { Command } from 'commander';
import { planApply, renderPlan, type PlanStep, type SecretKeys } from '../apply-plan.ts';
import { CliError } from '../cli-errors.ts';
import type { CommandEnv } from '../command-env.ts';
import type { ConnectClient } from '../connect-client.ts';
import { readManifests, type TargetState } from '../connector-manifests.ts';
import { printStructured } from '../output.ts';

export function applyCommand(program: Command, envOf: (cmd: Command) => CommandEnv): void {
  program
    .command('apply')
    .description('create or update in place the connectors declared in a JSON/YAML file or folder; prints the diff first')
    .requiredOption('-f, --file <path>', 'file or folder of connectors')
    .option('--prune', 'delete connectors that are not declared', false)
    .option('--dry-run', 'print the diff and change nothing', false)
    .action(async (o: { file: string; prune: boolean; dryRun: boolean }, cmd: Command) => {
      const env = envOf(cmd);
      const client = env.client();
      const manifests = readManifests(o.file);
      const running = await client.listConnectors();
      const secretKeys = await secretKeysOf(client, [...manifests.map((m) => m.config['connector.class'] ?? ''), ...Object.values(running).map((r) => r.info?.config['connector.class'] ?? '')]);
      const steps = planApply(manifests, running, secretKeys, o.prune);
      if (env.format === 'table') env.out(renderPlan(steps, secretKeys));
      if (o.dryRun) {
        printStructured(env.format, steps.map(summary));
        return;
      }
      const failures: string[] = [];
      for (const step of steps) {
        try {
          await execute(client, step);
        } catch (e) {
          failures.push(`${'name' in step ? step.name : step.manifest.name}: ${(e as Error).message}`);
        }
      }
      printStructured(env.format, steps.map(summary));
      if (failures.length) throw new CliError(`apply failed for ${failures.length} connector(s):\n${failures.join('\n')}`);
      if (env.format === 'table') env.out(`Applied: ${steps.filter((s) => s.action !== 'unchanged').length} change(s).\n`);
    });
}

async function execute(client: ConnectClient, step: PlanStep): Promise<void> {
  switch (step.action) {
    case 'create':
      await client.create(step.manifest.name, step.manifest.config, step.manifest.state);
      return;
    case 'update':
      await client.putConfig(step.manifest.name, { ...step.manifest.config, name: step.manifest.name });
      if (step.state) await setTarget(client, step.manifest.name, step.state);
      return;
    case 'state':
      await setTarget(client, step.manifest.name, step.state);
      return;
    case 'delete':
      await client.delete(step.name);
      return;
    case 'unchanged':
      return;
  }
}

function setTarget(client: ConnectClient, name: string, target: TargetState): Promise<void> {
  return client.setState(name, target === 'RUNNING' ? 'resume' : target === 'PAUSED' ? 'pause' : 'stop');
}

/** Secret keys per connector class, from each plugin's config definition (one call per class). */
async function secretKeysOf(client: ConnectClient, classes: readonly string[]): Promise<SecretKeys> {
  const known = new Map<string, ReadonlySet<string>>();
  await Promise.all(
    [...new Set(classes.filter(Boolean))].map(async (cls) => {
      const defs = await client.pluginConfig(cls).catch(() => []);
      known.set(cls, new Set(defs.filter((d) => d.type === 'PASSWORD').map((d) => d.name)));
    }),
  );
  return (cls) => known.get(cls) ?? new Set();
}

function summary(s: PlanStep): Record<string, unknown> {
  if (s.action === 'delete') return { action: s.action, name: s.name };
  return { action: s.action, name: s.manifest.name, ...(s.action === 'update' ? { changes: s.changes.map((c) => ({ kind: c.kind, key: c.key })) } : {}), ...('state' in s && s.state ? { state: s.state } : {}) };
}
