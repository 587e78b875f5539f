/**
 * The `tributary` CLI against the real local host (Kafka, DynamoDB Local, runners): every
 * command a script would use, its output formats and its exit codes.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { startSigningProxy } from '../../../cli/signing-proxy.ts';
import { RequestSigner } from '../../../cli/aws-signer.ts';
import { runTributary } from '../../support/cli-runner.ts';
import { startHostProcess, uniqueName, type HostProcess } from '../../support/local-host-process.ts';
import { eventually, rest } from '../../support/rest-client.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');

describe('tributary CLI on the local stack', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-cli-'));
  const configFile = join(dir, 'config.yaml');
  const input = join(dir, 'in.txt');
  const topic = uniqueName('cli-lines');
  const src = uniqueName('cli-source');
  const snk = uniqueName('cli-sink');
  let host: HostProcess;
  let cli: (...args: string[]) => ReturnType<typeof runTributary>;

  beforeAll(async () => {
    writeFileSync(input, 'one\ntwo\nthree\n');
    host = await startHostProcess({ kafkaBootstrap, dynamoEndpoint, dataDir: join(dir, 'data'), tableName: uniqueName('cli'), env: { IDLE_BACKOFF_MAX_MS: '2000' } });
    cli = (...args) => runTributary(args, { TRIBUTARY_CONFIG: configFile });
    // A named context, as an operator keeps one per stack.
    expect((await cli('config', 'set-context', 'local', '--server', host.restUrl)).code).toBe(0);
  });

  afterAll(async () => {
    await host?.stop('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies a YAML file of two connectors, then reports nothing to change', async () => {
    const manifest = join(dir, 'connectors.yaml');
    writeFileSync(
      manifest,
      `name: ${src}\nconfig:\n  connector.class: FileStreamSource\n  file: ${input}\n  topic: ${topic}\n---\nname: ${snk}\nconfig:\n  connector.class: FileStreamSink\n  file: ${join(dir, 'out.txt')}\n  topics: ${topic}\n`,
    );
    const dry = await cli('apply', '-f', manifest, '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`+ ${src} (create)`);
    expect((await rest<string[]>(host.restUrl, 'GET', '/connectors')).body).toEqual([]);

    const applied = await cli('apply', '-f', manifest);
    expect(applied.code, applied.stderr).toBe(0);
    expect((await rest<string[]>(host.restUrl, 'GET', '/connectors')).body.sort()).toEqual([src, snk].sort());

    const again = await cli('apply', '-f', manifest, '-o', 'json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual([
      { action: 'unchanged', name: src },
      { action: 'unchanged', name: snk },
    ]);
  });

  it('lists connectors as a table and as JSON once the tasks run', async () => {
    await eventually(async () => (await rest<{ tasks: { state: string }[] }>(host.restUrl, 'GET', `/connectors/${src}/status`)).body.tasks[0]?.state === 'RUNNING', { what: 'source RUNNING' });
    const t = await cli('get', 'connectors');
    expect(t.code).toBe(0);
    const row = t.stdout.split('\n').find((l) => l.startsWith(src));
    expect(row, t.stdout).toMatch(new RegExp(`^${src}\\s+source\\s+FileStreamSource\\s+RUNNING\\s+1/1$`));
    const j = await cli('-o', 'json', 'get', 'connectors');
    expect(JSON.parse(j.stdout)[src].status.connector.state).toBe('RUNNING');
  });

  it('updates in place with a printed diff, and prunes what is not declared', async () => {
    const manifest = join(dir, 'only-source.json');
    writeFileSync(manifest, JSON.stringify({ name: src, config: { 'connector.class': 'FileStreamSource', file: input, topic, 'batch.size': '500' } }));
    const r = await cli('apply', '-f', manifest, '--prune');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`~ ${src} (update in place)`);
    expect(r.stdout).toContain('+ batch.size: "500"');
    expect(r.stdout).toContain(`- ${snk} (delete)`);
    expect((await rest<Record<string, string>>(host.restUrl, 'GET', `/connectors/${src}/config`)).body['batch.size']).toBe('500');
    expect((await rest(host.restUrl, 'GET', `/connectors/${snk}`)).status).toBe(404);
  });

  it('describes a connector: config, tasks, topics and offsets; YAML on request', async () => {
    await eventually(async () => (await rest<{ offsets: unknown[] }>(host.restUrl, 'GET', `/connectors/${src}/offsets`)).body.offsets.length > 0, { what: 'source offsets' });
    const d = await cli('describe', 'connector', src);
    expect(d.code).toBe(0);
    expect(d.stdout).toContain(`Name:   ${src}`);
    expect(d.stdout).toContain(`topic = ${topic}`);
    expect(d.stdout).toMatch(/0\s+RUNNING/);
    expect(d.stdout).toContain(`{"filename":"${input}"}`);
    const y = parse((await cli('-o', 'yaml', 'describe', 'connector', src)).stdout);
    expect(y.info.name).toBe(src);
    expect(y.topics).toContain(topic);
  });

  it('pauses, resumes, stops, resets and sets offsets, and restarts', async () => {
    expect((await cli('pause', src)).code).toBe(0);
    await eventually(async () => (await rest<{ connector: { state: string } }>(host.restUrl, 'GET', `/connectors/${src}/status`)).body.connector.state === 'PAUSED', { what: 'PAUSED' });
    expect((await cli('resume', src)).code).toBe(0);
    expect((await cli('stop', src)).code).toBe(0);
    await eventually(async () => (await rest<{ connector: { state: string } }>(host.restUrl, 'GET', `/connectors/${src}/status`)).body.connector.state === 'STOPPED', { what: 'STOPPED' });
    const set = await cli('offsets', 'set', src, '--json', JSON.stringify({ offsets: [{ partition: { filename: input }, offset: { position: 4 } }] }));
    expect(set.code, set.stderr).toBe(0);
    const got = JSON.parse((await cli('-o', 'json', 'offsets', 'get', src)).stdout);
    expect(got.offsets).toEqual([{ partition: { filename: input }, offset: { position: 4 } }]);
    expect((await cli('offsets', 'reset', src)).code).toBe(0);
    expect(JSON.parse((await cli('-o', 'json', 'offsets', 'get', src)).stdout).offsets).toEqual([]);
    expect((await cli('resume', src)).code).toBe(0);
    const restart = await cli('restart', src, '--include-tasks');
    expect(restart.code, restart.stderr).toBe(0);
    const logs = await cli('logs', src);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toMatch(/^connector: /m);
  });

  it('diff --stack shows drift between a template\'s TributaryConnectors and what runs', async () => {
    const template = join(dir, 'Stack.template.json');
    const declared = (batch: string) => ({
      Resources: {
        Src: { Type: 'Custom::TributaryConnector', Properties: { ServiceToken: { 'Fn::GetAtt': ['P', 'Arn'] }, Name: src, State: 'RUNNING', Config: { 'connector.class': 'FileStreamSource', file: input, topic, 'batch.size': batch, 'tasks.max': { Ref: 'Token' } } } },
      },
    });
    writeFileSync(template, JSON.stringify(declared('500')));
    const same = await cli('diff', '--stack', template, '--exit-code');
    expect(same.code, same.stdout + same.stderr).toBe(0);
    expect(same.stdout).toContain('No drift');
    writeFileSync(template, JSON.stringify(declared('900')));
    const drift = await cli('diff', '--stack', template, '--exit-code');
    expect(drift.code).toBe(1);
    expect(drift.stdout).toContain('~ batch.size: "500" -> "900"');
  });

  it('validates a file with per-key errors and exits 1', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ name: 'bad', config: { 'connector.class': 'FileStreamSink', file: join(dir, 'x.txt') } }));
    const r = await cli('validate', '-f', bad);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/bad: \d+ error\(s\)/);
    expect(r.stdout).toMatch(/topics/);
  });

  it('exit codes scripts can trust: 1 refused, 2 usage, 3 unreachable', async () => {
    const missing = await cli('describe', 'connector', 'does-not-exist');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Connector does-not-exist not found');
    expect((await cli('get', 'nothing-like-this')).code).toBe(2);
    expect((await cli('apply', '-f', join(dir, 'no-such-file.yaml'))).code).toBe(2);
    expect((await cli('--url', 'http://127.0.0.1:1', 'get', 'connectors')).code).toBe(3);
  });

  it('lists plugins', async () => {
    const r = await cli('-o', 'json', 'plugins');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).map((p: { class: string }) => p.class)).toContain('org.apache.kafka.connect.file.FileStreamSourceConnector');
  });

  it('a third-party client (curl) works unchanged through the signing proxy', async () => {
    const aws = { region: 'us-east-1' };
    const creds = async () => ({ accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' });
    const proxy = await startSigningProxy({ context: { name: 'local-signed', url: host.restUrl, aws }, port: 0, signer: new RequestSigner(aws, creds) });
    try {
      const curl = (...args: string[]) =>
        new Promise<string>((resolve, reject) => execFile('curl', ['-sS', '--fail-with-body', ...args], (e, out, err) => (e ? reject(new Error(`${e.message} ${out} ${err}`)) : resolve(out))));
      const name = uniqueName('via-proxy');
      const created = JSON.parse(
        await curl('-X', 'POST', `${proxy.url}/connectors`, '-H', 'Content-Type: application/json', '-d', JSON.stringify({ name, config: { 'connector.class': 'FileStreamSink', file: join(dir, 'proxy-out.txt'), topics: topic } })),
      );
      expect(created).toMatchObject({ name, type: 'sink' });
      expect(JSON.parse(await curl(`${proxy.url}/connectors`))).toContain(name);
      await curl('-X', 'DELETE', `${proxy.url}/connectors/${name}`);
      expect((await rest(host.restUrl, 'GET', `/connectors/${name}`)).status).toBe(404);
    } finally {
      await proxy.close();
    }
  });

  it('watch prints the live table', async () => {
    const r = await cli('watch', '--count', '2', '--interval', '100');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(src);
  });
});
