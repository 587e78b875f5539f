/**
 * The connectors a CDK stack declares (`TributaryConnector`, custom resources of type
 * Custom::TributaryConnector), read from a synthesized template or from CloudFormation.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudFormationClient, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import type { AwsSettings } from './cli-context.ts';
import { UsageError } from './cli-errors.ts';
import type { ConnectorManifest, TargetState } from './connector-manifests.ts';

import { HIDDEN } from '../lib/control/config-secrets.ts';

interface TemplateResource {
  readonly Type?: string;
  readonly Properties?: { Name?: unknown; Config?: Record<string, unknown>; State?: unknown };
}

export function connectorsOfTemplate(template: { Resources?: Record<string, TemplateResource> }, source: string): ConnectorManifest[] {
  const out: ConnectorManifest[] = [];
  for (const [id, r] of Object.entries(template.Resources ?? {})) {
    if (r.Type !== 'Custom::TributaryConnector') continue;
    const p = r.Properties ?? {};
    if (typeof p.Name !== 'string') throw new UsageError(`${source}: ${id} has a connector name that is not a literal string`);
    const config: Record<string, string> = {};
    for (const [k, v] of Object.entries(p.Config ?? {})) config[k] = typeof v === 'string' ? v : HIDDEN /* a token: not comparable */;
    out.push({ name: p.Name, config, state: typeof p.State === 'string' ? (p.State as TargetState) : undefined, source: `${source}#${id}` });
  }
  return out;
}

/**
 * A stack's template: a file path, `cdk.out/<stack>.template.json` when synthesized here, or the
 * deployed template from CloudFormation when the context is an AWS one.
 */
export async function stackTemplate(stack: string, aws: AwsSettings | undefined): Promise<{ template: object; source: string }> {
  for (const file of [stack, join('cdk.out', `${stack}.template.json`)]) {
    if (file.endsWith('.json') && existsSync(file)) return { template: JSON.parse(readFileSync(file, 'utf8')) as object, source: file };
  }
  if (!aws) throw new UsageError(`No template for ${stack}: give a template file, run \`cdk synth\` here, or use an AWS context to read the deployed stack`);
  const cfn = new CloudFormationClient({ region: aws.region, ...(aws.profile ? { profile: aws.profile } : {}) });
  const out = await cfn.send(new GetTemplateCommand({ StackName: stack, TemplateStage: 'Processed' }));
  return { template: JSON.parse(out.TemplateBody ?? '{}') as object, source: `stack ${stack}` };
}
