/**
 * What `cdk deploy` uploads loads on its own: every Lambda function of the synthesized
 * template from its bundle alone, in an isolated task root holding only the runtime's AWS
 * SDK, on the runtime's Node version; and the Fargate runner image's entry point, built by the
 * Dockerfile's own script, with nothing but its output. A bundle that needs a module it
 * cannot see fails here, not on AWS.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/assembly-paths.ts';
import { synthesize, type CloudAssembly } from './support/cloud-assembly.ts';
import { TemplateResolver } from './support/cfn-template.ts';
import { buildRunnerImage } from './support/fargate-task.ts';
import { isolateBundle, LambdaSandbox, nodeBinaryFor, type LambdaSpec } from './support/lambda-sandbox.ts';

describe('the cloud assembly loads in isolation', () => {
  let assembly: CloudAssembly;
  let resolver: TemplateResolver;
  const sandboxes: LambdaSandbox[] = [];

  beforeAll(async () => {
    assembly = await synthesize();
    resolver = new TemplateResolver(assembly.template);
  });

  afterAll(async () => {
    await Promise.all(sandboxes.map((s) => s.stop()));
  });

  const functionIds = () => resolver.ofType('AWS::Lambda::Function');

  it('synthesizes four Lambda functions, each bundled as a CDK asset', () => {
    expect(functionIds()).toHaveLength(4);
    for (const id of functionIds()) expect(assembly.template.Resources[id]?.Metadata?.['aws:asset:is-bundled']).toBe(true);
  });

  it.each(['ApiFunction', 'LifecycleFunction', 'RunnerFunction', 'RestarterFunction'])('the %s bundle loads with only the runtime-provided SDK', async (construct) => {
    const id = functionIds().find((i) => String(assembly.template.Resources[i]?.Metadata?.['aws:cdk:path']).includes(`/${construct}/`));
    expect(id).toBeDefined();
    const r = assembly.template.Resources[id ?? ''];
    const p = r?.Properties;
    const spec: LambdaSpec = {
      logicalId: id ?? '',
      name: resolver.physicalName(id ?? ''),
      arn: '',
      assetDir: join(assembly.dir, String(r?.Metadata?.['aws:asset:path'])),
      handler: p.Handler,
      runtime: p.Runtime,
      memoryMb: p.MemorySize,
      timeoutSeconds: p.Timeout,
      environment: {},
    };
    const log = createWriteStream(join(assembly.dir, `${construct}.log`));
    const sandbox = new LambdaSandbox(spec, isolateBundle(spec, mkdtempSync(join(assembly.dir, 'load-'))), {}, log);
    sandboxes.push(sandbox);
    const loaded = await sandbox.warm().then(
      () => 'loaded',
      (e: Error) => `${e.name}: ${e.message}`,
    );
    expect(loaded).toBe('loaded');
  });

  it('the runner image, built by its Dockerfile script, runs its entry point with nothing but the build output', async () => {
    const image = await buildRunnerImage(join(assembly.dir, imageAsset(assembly)), mkdtempSync(join(assembly.dir, 'image-')), join(REPO_ROOT, 'infra', 'runner-image', 'Dockerfile'));
    const [command, ...args] = image.cmd;
    expect(command).toBe('node');
    // No environment at all: every module must load, then the runner stops at its environment check.
    const out = spawnSync(nodeBinaryFor('nodejs24.x'), args, { cwd: image.appDir, env: { ...image.env, PATH: '/usr/bin:/bin' }, encoding: 'utf8', timeout: 30_000 });
    expect(out.stderr).not.toMatch(/Cannot find module|ERR_MODULE_NOT_FOUND/);
    expect(out.stderr).toMatch(/Invalid environment: TABLE_NAME/);
  });
});

function imageAsset(assembly: CloudAssembly): string {
  const hash = /:([0-9a-f]{64})"/.exec(JSON.stringify(assembly.template))?.[1];
  return `asset.${hash}`;
}
