/**
 * The local runner's prebuilt entry: one JavaScript module holding Tributary's own code (no
 * TypeScript loader in the runner), rebuilt only when the sources change, that starts as a
 * runner process and whose error traces still name the TypeScript sources.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runnerEntry } from '../../../host/runner-bundle.ts';

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
