/**
 * The construct library as another CDK app gets it: `npm pack` builds the package, a scratch
 * app installs the tarball from the registry's way (no link to this checkout), type-checks
 * against its declarations and synthesizes a TributaryService with a TributaryConnector.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../host/local-paths.ts';

const run = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });

describe('the installable construct library', { timeout: 600_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-consumer-'));
  const app = join(dir, 'app');
  const cdkOut = join(dir, 'cdk.out');
  let template: { Resources: Record<string, { Type: string; Properties: Record<string, unknown>; Metadata?: Record<string, string> }> };

  beforeAll(() => {
    run('npm', ['pack', '--pack-destination', dir, '--silent'], projectRoot);
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    expect(tarball).toBeDefined();
    const own = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'scratch-cdk-app', private: true, type: 'module', dependencies: { tributary: `file:./${tarball}`, 'aws-cdk-lib': own.dependencies['aws-cdk-lib'], constructs: own.dependencies.constructs } }),
    );
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--omit=dev'], dir);
    writeFileSync(
      `${app}.ts`,
      [
        "import { App, Stack } from 'aws-cdk-lib';",
        "import { TributaryConnector, TributaryService, type TributaryConnectorProps } from 'tributary/infra';",
        "import type { SourceTask } from 'tributary/plugins';",
        '// cdk.out comes from CDK_OUTDIR, as the CDK CLI passes it.',
        'const app = new App();',
        "const stack = new Stack(app, 'Consumer');",
        "const service = new TributaryService(stack, 'Connect', { kafka: { bootstrapServers: 'b-1.example:9092', auth: { mode: 'plaintext' } } });",
        "const props: TributaryConnectorProps = { service, name: 'orders-archive', config: { 'connector.class': 'FileStreamSink', topics: 'orders', file: '/tmp/orders' }, state: 'PAUSED' };",
        "new TributaryConnector(stack, 'Archive', props);",
        'const task: Pick<SourceTask, "version"> = { version: () => "1" };',
        'void task;',
        'app.synth();',
        '',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2023', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false, types: [] }, files: ['app.ts'] }));

  }, 600_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('installs with its declarations: the consumer type-checks against tributary/infra and tributary/plugins', () => {
    expect(existsSync(join(dir, 'node_modules', 'tributary', 'dist', 'infra', 'index.d.ts'))).toBe(true);
    // The project's own compiler, on the consumer's files only (skipLibCheck off would also check aws-cdk-lib: too slow).
    const out = (() => {
      try {
        return run(join(projectRoot, 'node_modules', '.bin', 'tsc'), ['-p', dir, '--skipLibCheck'], dir);
      } catch (e) {
        return String((e as { stdout?: string }).stdout);
      }
    })();
    expect(out).toBe('');
  });

  it('synthesizes the service and a declared connector, every function from its prebuilt bundle', () => {
    execFileSync(process.execPath, ['--experimental-strip-types', '--no-warnings', `${app}.ts`], {
      cwd: dir,
      // What the CDK CLI hands an app: where to write, and its default context (asset metadata on).
      env: { ...process.env, CDK_OUTDIR: cdkOut, CDK_CONTEXT_JSON: JSON.stringify({ 'aws:cdk:enable-asset-metadata': true }) },
      stdio: 'pipe',
    });
    template = JSON.parse(readFileSync(join(cdkOut, 'Consumer.template.json'), 'utf8'));
    const connectors = Object.values(template.Resources).filter((r) => r.Type === 'Custom::TributaryConnector');
    expect(connectors.map((c) => c.Properties.Name)).toEqual(['orders-archive']);
    const functions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.['tributary:entry']);
    expect(functions.map((f) => f.Metadata?.['tributary:entry']).sort()).toEqual(
      ['functions/api-handler.ts', 'functions/connector-resource-handler.ts', 'functions/lifecycle-handler.ts', 'functions/restarter-handler.ts', 'functions/runner-handler.ts'].sort(),
    );
    for (const f of functions) {
      const asset = join(cdkOut, String(f.Metadata?.['aws:asset:path']));
      expect(readdirSync(asset)).toContain('index.mjs');
      expect(f.Properties.Handler).toBe('index.handler');
    }
  });
});
