/** `tributary diff --stack NAME`: drift between the connectors a CDK stack declares and what runs. */
import type { Command } from 'commander';
import { planApply, renderPlan } from '../apply-plan.ts';
import { CliError } from '../cli-errors.ts';
import type { CommandEnv } from '../command-env.ts';
import { printStructured } from '../output.ts';
import { connectorsOfTemplate, stackTemplate } from '../stack-connectors.ts';

export function diffCommand(program: Command, envOf: (cmd: Command) => CommandEnv): void {
  program
    .command('diff')
    .description('drift between the connectors a CDK stack declares (TributaryConnector) and what runs')
    .requiredOption('--stack <name|template.json>', 'stack name (cdk.out or CloudFormation) or a template file')
    .option('--exit-code', 'exit 1 when there is drift', false)
    .action(async (o: { stack: string; exitCode: boolean }, cmd: Command) => {
      const env = envOf(cmd);
      const client = env.client();
      const { template, source } = await stackTemplate(o.stack, client.context.aws);
      const declared = connectorsOfTemplate(template, source);
      const running = await client.listConnectors();
      // Only the connectors the stack declares: others are not the stack's business.
      const owned = Object.fromEntries(Object.entries(running).filter(([n]) => declared.some((d) => d.name === n)));
      const steps = planApply(declared, owned, () => new Set(), false);
      const drift = steps.filter((s) => s.action !== 'unchanged');
      if (!printStructured(env.format, steps.map((s) => ({ action: s.action, name: 'name' in s ? s.name : s.manifest.name })))) {
        env.out(drift.length ? renderPlan(drift, () => new Set()) : `No drift: ${declared.length} connector(s) declared by ${source} run as declared.\n`);
      }
      if (o.exitCode && drift.length) throw new CliError(`${drift.length} connector(s) drifted from ${source}`);
    });
}
