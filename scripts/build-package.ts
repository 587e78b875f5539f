/**
 * Builds the installable package into dist/: the constructs (`tributary/infra`), the plugin SDK
 * (`tributary/plugins`) and the CLI as JavaScript with declarations, every Lambda function
 * prebundled exactly as `cdk synth` bundles it (taken from a synthesized assembly, so there is
 * one bundling configuration), and the Fargate runner prebuilt by the image's own build script.
 * `npm pack` runs it (prepack).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { appContextSchema, TributaryConnector, TributaryStack } from '../infra/index.ts';
import { ENTRY_METADATA } from '../infra/constructs/tributary-function.ts';

const root = resolve(import.meta.dirname, '..');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });

execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
cpSync(join(root, 'infra', 'task-lifecycle.asl.json'), join(dist, 'infra', 'task-lifecycle.asl.json'));
// The web console's build (npm ci's prepare step), where the constructs look for it from dist/.
const consoleBuild = join(root, 'console', 'dist');
if (existsSync(consoleBuild)) cpSync(consoleBuild, join(dist, 'console', 'dist'), { recursive: true });

// Every function, bundled by the constructs themselves; a connector brings in its custom resource function.
const outdir = mkdtempSync(join(tmpdir(), 'tributary-package-'));
const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
const stack = new TributaryStack(app, 'Package', { settings: appContextSchema.parse({ kafkaBootstrapServers: 'broker:9092' }) });
new TributaryConnector(stack, 'Connector', { service: stack.service, name: 'package', config: { 'connector.class': 'FileStreamSink', topics: 't', file: '/tmp/t' } });
app.synth();
const template = JSON.parse(readFileSync(join(outdir, 'Package.template.json'), 'utf8')) as {
  Resources: Record<string, { Type: string; Metadata?: Record<string, string> }>;
};
const bundled: string[] = [];
for (const r of Object.values(template.Resources)) {
  const entry = r.Metadata?.[ENTRY_METADATA];
  const asset = r.Metadata?.['aws:asset:path'];
  if (r.Type !== 'AWS::Lambda::Function' || !entry || !asset) continue;
  cpSync(join(outdir, asset), join(dist, 'bundles', basename(entry, '.ts')), { recursive: true });
  bundled.push(entry);
}
rmSync(outdir, { recursive: true, force: true });

// The Fargate runner: the same script the image's Dockerfile runs, then an image of its output alone.
const runnerImage = join(dist, 'runner-image');
const buildRunner = join(root, 'infra', 'runner-image', 'build-runner.sh');
if (existsSync(buildRunner)) {
  execFileSync('sh', [buildRunner, 'bundle', runnerImage], { cwd: root, stdio: 'inherit' });
  writeFileSync(
    join(runnerImage, 'Dockerfile'),
    [
      '# The Fargate runner, prebuilt by the package build (infra/runner-image/build-runner.sh).',
      'FROM public.ecr.aws/docker/library/node:24-alpine',
      'ENV NODE_ENV=production NODE_OPTIONS=--enable-source-maps',
      'WORKDIR /app',
      'COPY fargate-runner.mjs* ./',
      'USER node',
      'CMD ["node", "fargate-runner.mjs"]',
      '',
    ].join('\n'),
  );
}
console.log(`dist/: constructs, plugin SDK, CLI; ${bundled.length} function bundles (${bundled.join(', ')})${existsSync(buildRunner) ? '; the Fargate runner' : ''}`);
