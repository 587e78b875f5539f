/**
 * `cdk synth` into a temporary directory, as a user runs it, and the parts of the result the
 * assembly test runs: the template and, per Lambda function, its bundle directory.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ConnectorTargetState } from '../../../infra/constructs/tributary-connector.ts';
import { REPO_ROOT } from './assembly-paths.ts';
import type { CfnTemplate } from './cfn-template.ts';

const run = promisify(execFile);

/** The context key through which the scratch app (assembly-app.ts) gets the declared connectors. */
export const DECLARED_CONNECTORS_CONTEXT = 'assembly:connectors';

/** A `TributaryConnector` the scratch app declares. */
export interface DeclaredConnectorSpec {
  /** Construct id (the custom resource's logical id starts with it). */
  readonly id: string;
  readonly name: string;
  readonly config: Record<string, string>;
  readonly state?: ConnectorTargetState;
  /** RemovalPolicy.RETAIN instead of the default DESTROY. */
  readonly retain?: boolean;
}

export interface CloudAssembly {
  readonly dir: string;
  readonly stackName: string;
  readonly template: CfnTemplate;
}

/**
 * Synthesizes, with cdk.json's context (no AWS account, no network), the app of cdk.json or,
 * with declared connectors, the scratch app that adds them to it.
 */
export async function synthesize(o: { context?: Record<string, string>; connectors?: readonly DeclaredConnectorSpec[] } = {}): Promise<CloudAssembly> {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-assembly-'));
  const context = { ...o.context, ...(o.connectors?.length ? { [DECLARED_CONNECTORS_CONTEXT]: JSON.stringify(o.connectors) } : {}) };
  const app = o.connectors?.length ? ['--app', `npx tsx ${join('test', 'assembly', 'support', 'assembly-app.ts')}`] : [];
  const args = ['synth', ...app, '--output', dir, '--quiet', ...Object.entries(context).flatMap(([k, v]) => ['--context', `${k}=${v}`])];
  await run(join(REPO_ROOT, 'node_modules', '.bin', 'cdk'), args, { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' } });
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { artifacts: Record<string, { type: string; properties?: { templateFile?: string } }> };
  const [stackName, stack] = Object.entries(manifest.artifacts).find(([, a]) => a.type === 'aws:cloudformation:stack') ?? [];
  const templateFile = stack?.properties?.templateFile;
  if (!stackName || !templateFile) throw new Error(`No stack in the cloud assembly at ${dir}`);
  return { dir, stackName, template: JSON.parse(readFileSync(join(dir, templateFile), 'utf8')) as CfnTemplate };
}
