/**
 * The local runner's prebuilt entry: one JavaScript module holding Tributary's own code (no
 * TypeScript loader in the runner), rebuilt only when the sources change, that starts as a
 * runner process and whose error traces still name the TypeScript sources, and that loads no
 * connector's driver until a connector needs it.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../host/local-paths.ts';
import { runnerBuildOptions, runnerEntry } from '../../../host/runner-bundle.ts';

/** Every connector's driver: a runner serves one connector, so it loads these only when that connector needs them. */
const DRIVERS = ['@aws-sdk/client-s3', '@aws-sdk/client-sqs', '@vlasky/zongji', 'amqplib', 'cassandra-driver', 'hyparquet-writer', 'mqtt', 'mysql2', 'pg', 'pg-logical-replication'];
const ALL_DYNAMIC = Object.fromEntries(DRIVERS.map((pkg) => [pkg, 'dynamic']));

/** The package an import names: `mysql2/promise` is mysql2, `@aws-sdk/client-s3` itself. */
const packageOf = (path: string) => path.split('/').slice(0, path.startsWith('@') ? 2 : 1).join('/');

/** How the runner bundle (or, built the same way, the module graph of another entry) imports each driver, from esbuild's metafile. */
async function driverImports(entry?: string): Promise<Record<string, string>> {
  const { build } = await import('esbuild');
  const { metafile } = await build({ ...runnerBuildOptions(), ...(entry ? { entryPoints: [join(projectRoot, entry)] } : {}), metafile: true });
  const [output] = Object.values(metafile.outputs).filter((o) => o.entryPoint);
  const how = (pkg: string) => {
    const kinds = new Set(output?.imports.filter((i) => i.external && packageOf(i.path) === pkg).map((i) => i.kind));
    return kinds.size === 0 ? 'not imported' : [...kinds].every((k) => k === 'dynamic-import') ? 'dynamic' : 'static';
  };
  return Object.fromEntries(DRIVERS.map((pkg) => [pkg, how(pkg)]));
}

/** What a runner process sends its host. */
interface RunnerMessage {
  type: string;
  id?: number;
  error?: { errorType: string; trace: string };
}

describe('the local runner bundle', () => {
  it('is one module named by its content, the same for the same sources, with no TypeScript loader', async () => {
    const a = await runnerEntry({});
    const b = await runnerEntry({});
    expect(a.entry).toMatch(/node_modules\/\.cache\/tributary\/runner-process-[0-9a-f]{16}\.mjs$/);
    expect(b.entry).toBe(a.entry);
    expect(a.execArgv).toEqual(['--enable-source-maps']);
    const text = readFileSync(a.entry, 'utf8');
    // Tributary's modules are inside; only packages are imported.
    expect(text).not.toMatch(/from\s+["']\.{1,2}\//);
    expect(text).toMatch(/SliceRunner = class/);
    // Custom plugins may be TypeScript: only then does the runner get the loader.
    expect((await runnerEntry({ TRIBUTARY_PLUGINS: './my-plugin.ts' })).execArgv).toEqual(['--enable-source-maps', '--import', 'tsx']);
  });

  // ~300 ms of CPU in every spare runner's load (and every Lambda cold start) went to drivers of connectors it did not run.
  it('imports no connector\'s driver when it loads: each only through import(), where its connector starts', async () => {
    expect(await driverImports()).toEqual(ALL_DYNAMIC);
  });

  it('starts as a runner process and reports errors with traces into the TypeScript sources', async () => {
    const { entry, execArgv } = await runnerEntry({});
    const child = fork(entry, [], {
      execArgv: [...execArgv],
      env: { ...process.env, TABLE_NAME: 'none', KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:1', DYNAMODB_ENDPOINT: 'http://127.0.0.1:1', AWS_REGION: 'us-east-1' },
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    try {
      const next = (type: string) =>
        new Promise<RunnerMessage>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no ${type} message`)), 30_000);
          const on = (m: RunnerMessage) => {
            if (m.type !== type) return;
            clearTimeout(timer);
            child.off('message', on);
            resolve(m);
          };
          child.on('message', on);
        });
      expect(await next('ready')).toMatchObject({ type: 'ready' });
      const answer = next('error');
      child.send({ type: 'invoke', id: 1, input: { connector: '', task: -1 } });
      const { error } = await answer;
      expect(error?.errorType).toBeTruthy();
      expect(error?.trace).toMatch(/(lib|functions)\/[\w/-]+\.ts:\d+/);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

// The Lambda and Fargate runner bundles inline these packages, and an inlined package runs only
// when its dynamic import is reached: their entries' module graphs must import drivers that way.
describe.each(['functions/runner-handler.ts', 'functions/fargate-runner.ts'])('the module graph of %s', (entry) => {
  it('imports every connector\'s driver only through import()', async () => {
    expect(await driverImports(entry)).toEqual(ALL_DYNAMIC);
  });
});
