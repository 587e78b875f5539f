/**
 * `cdk synth` into a temporary directory, as a user runs it, and the parts of the result the
 * assembly test runs: the template and, per Lambda function, its bundle directory.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './assembly-paths.ts';
import type { CfnTemplate } from './cfn-template.ts';

const run = promisify(execFile);

export interface CloudAssembly {
  readonly dir: string;
  readonly stackName: string;
  readonly template: CfnTemplate;
}

/** Synthesizes the app of cdk.json with its own context (no AWS account, no network). */
export async function synthesize(context: Record<string, string> = {}): Promise<CloudAssembly> {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-assembly-'));
  const args = ['synth', '--output', dir, '--quiet', ...Object.entries(context).flatMap(([k, v]) => ['--context', `${k}=${v}`])];
  await run(join(REPO_ROOT, 'node_modules', '.bin', 'cdk'), args, { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' } });
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { artifacts: Record<string, { type: string; properties?: { templateFile?: string } }> };
  const [stackName, stack] = Object.entries(manifest.artifacts).find(([, a]) => a.type === 'aws:cloudformation:stack') ?? [];
  const templateFile = stack?.properties?.templateFile;
  if (!stackName || !templateFile) throw new Error(`No stack in the cloud assembly at ${dir}`);
  return { dir, stackName, template: JSON.parse(readFileSync(join(dir, templateFile), 'utf8')) as CfnTemplate };
}
