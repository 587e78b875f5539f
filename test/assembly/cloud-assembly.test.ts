/**
 * The synthesized cloud assembly as the system under test, on a real Kafka broker and
 * DynamoDB Local. First what ships must load on its own: every Lambda bundle in an isolated
 * task root with only the runtime's SDK, and the runner image's entry point with nothing but
 * its build output. Then the stack runs: every Lambda from its bundle in its own sandbox, the state machine from the
 * template, the API behind API Gateway-shaped proxy events, the template's rules and alarms
 * wired to the restarter, the Fargate runner from the image's contents, and connectors declared
 * as code in a scratch app applied by CloudFormation's requests to their custom resource. Every
 * AWS call each principal makes is recorded and checked against that principal's policies in
 * the template.
 */
import { appendFileSync, createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConnectorStatus } from '../../cli/connect-client.ts';
import { createBucket, getObject, listKeys } from '../support/aws-test-clients.ts';
import { emulatorS3Client } from '../../host/aws-emulator-launcher.ts';
import { uniqueName } from '../support/local-host-process.ts';
import { eventually, rest } from '../support/rest-client.ts';
import { startAssemblyHost, type AssemblyHost } from './support/assembly-host.ts';
import { countersDiff, snapshot } from './support/run-counters.ts';
import type { DeclaredConnectorSpec } from './support/cloud-assembly.ts';
import { busyLambdaMonthly, fargateMonthly, idleMonthly, mskConnectMonthly, PRICES, round, type IdleWake } from './support/cost-model.ts';
import { cpuSecondsOf } from './support/fargate-task.ts';
import { deniedCalls, unusedGrants } from './support/iam-policies.ts';
import { isolateBundle, LambdaInvokeError, LambdaSandbox, nodeBinaryFor } from './support/lambda-sandbox.ts';
import { UNUSED_GRANTS_JUSTIFIED } from './unused-grants.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');
const s3Endpoint = inject('s3Endpoint');

/** Lines of ~90 bytes the Fargate source moves: about 4.5 MB, enough to measure CPU per MB. */
const FARGATE_LINES = 50_000;

const lines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `line-${from + i}\n`).join('');
const sinkLines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);

// Synth and the image build take about 30 s of CPU, but their wall time grows with the machine's load.
describe('the cloud assembly, run end to end', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-assembly-data-'));
  const source = join(dir, 'in.txt');
  const sink = join(dir, 'out.txt');
  const topic = uniqueName('assembly-lines');
  const src = uniqueName('asm-source');
  const snk = uniqueName('asm-sink');
  let host: AssemblyHost;
  const measured: { fargateCpuSecondsPerMb?: number } = {};
  // Connectors declared as code in the scratch app: created, changed and removed by CloudFormation's requests.
  const declaredIn = join(dir, 'declared-in.txt');
  const declaredOut = join(dir, 'declared-out.txt');
  const declaredTopic = uniqueName('assembly-declared');
  const declared = {
    source: { id: 'DeclaredSource', name: uniqueName('asm-declared'), config: { 'connector.class': 'FileStreamSource', file: declaredIn, topic: declaredTopic, 'tributary.idle.backoff.max.ms': '1000' } },
    sink: { id: 'KeptSink', name: uniqueName('asm-kept'), config: { 'connector.class': 'FileStreamSink', file: declaredOut, topics: declaredTopic }, retain: true },
  } satisfies Record<string, DeclaredConnectorSpec>;
  const api = <T = unknown>(method: string, path: string, body?: unknown, raw?: string) => rest<T>(host.restUrl, method, path, body, raw);
  const status = async (name: string) => (await api<ConnectorStatus>('GET', `/connectors/${name}/status`)).body;
  const running = (name: string) =>
    eventually(async () => ((await status(name)).tasks[0]?.state === 'RUNNING' ? true : undefined), { what: `${name} RUNNING`, timeoutMs: 60_000 });
  // At least once, as Kafka Connect: a killed or fenced runner may deliver a line twice, never lose one.
  const distinct = (file: string) => new Set(sinkLines(file));
  const sinkHas = (n: number, what: string) => eventually(async () => distinct(sink).size >= n, { what, timeoutMs: 60_000, intervalMs: 200 });

  beforeAll(async () => {
    writeFileSync(source, lines(1, 100));
    writeFileSync(declaredIn, lines(1, 3));
    host = await startAssemblyHost({ kafkaBootstrap, dynamoEndpoint, fargate: true, connectors: [declared.source, declared.sink] });
  }, 600_000);

  afterAll(async () => {
    await host?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['api', 'lifecycle', 'runner', 'restarter', 'connectorResource', 'connectorProvider'] as const)('the %s bundle loads in its isolated task root, with only the runtime-provided SDK', async (role) => {
    const loaded = await host.functions[role].warm().then(
      () => 'loaded',
      (e: Error) => `${e.name}: ${e.message}`,
    );
    expect(loaded).toBe('loaded');
  });

  // The other drivers are inlined, run only when their import() is reached (test/unit/host/runner-bundle.test.ts checks the sources).
  it('the runner bundle imports the S3 and SQS clients, which the runtime provides, only when a connector of theirs starts', () => {
    const code = readFileSync(join(host.functions.runner.spec.assetDir, 'index.mjs'), 'utf8');
    const how = (pkg: string) => (new RegExp(`(from|import)\\s*["']${pkg}["']`).test(code) ? 'static' : code.includes(`import("${pkg}")`) ? 'dynamic' : 'not imported');
    const clients = ['@aws-sdk/client-s3', '@aws-sdk/client-sqs'];
    expect(Object.fromEntries(clients.map((pkg) => [pkg, how(pkg)]))).toEqual(Object.fromEntries(clients.map((pkg) => [pkg, 'dynamic'])));
  });

  it('the runner image, built by its Dockerfile\'s script, runs its entry point with nothing but the build output', async () => {
    const image = await host.fargate.image;
    const [command, ...args] = image?.cmd ?? [];
    expect(command).toBe('node');
    // No environment at all: every module must load, then the runner stops at its environment check.
    const out = spawnSync(nodeBinaryFor('nodejs24.x'), args, { cwd: image?.appDir, env: { ...image?.env, PATH: '/usr/bin:/bin' }, encoding: 'utf8', timeout: 30_000 });
    expect(out.stderr).not.toMatch(/Cannot find module|ERR_MODULE_NOT_FOUND/);
    expect(out.stderr).toMatch(/Invalid environment: TABLE_NAME/);
  });

  it('a FileStream source and sink created through the API move every line', async () => {
    const a = await api('POST', '/connectors', { name: src, config: { 'connector.class': 'FileStreamSource', file: source, topic, 'tributary.idle.backoff.max.ms': '1000' } });
    expect(a.status).toBe(201);
    const b = await api('POST', '/connectors', { name: snk, config: { 'connector.class': 'FileStreamSink', file: sink, topics: topic } });
    expect(b.status).toBe(201);
    await running(src);
    await running(snk);
    await sinkHas(100, '100 lines in the sink file');
    expect(sinkLines(sink).slice(0, 3)).toEqual(['line-1', 'line-2', 'line-3']);
    expect((await status(src)).tasks[0]?.worker_id).toMatch(/^lambda:/);
  });

  it('a runner SIGKILLed mid-slice comes back to RUNNING and moves new data, with no API call', async () => {
    const slice = await eventually(async () => host.functions.runner.busy().find((b) => (b.event as { connector?: string }).connector === src), { what: 'a source slice in progress' });
    const apiCalls = host.functions.api.stats.invocations;
    process.kill(slice.pid, 'SIGKILL');
    appendFileSync(source, lines(101, 200));
    await sinkHas(200, 'the lines written after the kill');
    expect(host.functions.api.stats.invocations).toBe(apiCalls);
    await running(src);
    expect(distinct(sink).has('line-101')).toBe(true);
  });

  it('an aborted execution reaches the restarter through the template\'s rule, which restarts the task', async () => {
    const execution = host.stepFunctions.running().find((e) => (e.input as { connector: string }).connector === src);
    expect(execution).toBeDefined();
    const restarts = host.functions.restarter.stats.invocations;
    const apiCalls = host.functions.api.stats.invocations;
    host.stepFunctions.stop(execution?.arn ?? '');
    await eventually(async () => host.stepFunctions.running().some((e) => (e.input as { connector: string }).connector === src && e.arn !== execution?.arn), {
      what: 'a new execution started by the restarter',
    });
    expect(host.functions.restarter.stats.invocations).toBeGreaterThan(restarts);
    expect(host.bus.deliveries.some((d) => /ExecutionEndedRule/.test(d.rule) && d.event.detail?.executionArn === execution?.arn)).toBe(true);
    appendFileSync(source, lines(201, 250));
    await sinkHas(250, 'the lines written after the restart');
    expect(host.functions.api.stats.invocations).toBe(apiCalls);
  });

  it('pause stops the flow and resume starts it again', async () => {
    expect((await api('PUT', `/connectors/${src}/pause`)).status).toBe(202);
    await eventually(async () => ((await status(src)).tasks[0]?.state === 'PAUSED' ? true : undefined), { what: 'PAUSED' });
    await eventually(async () => !host.stepFunctions.running().some((e) => (e.input as { connector: string }).connector === src), { what: 'the paused task\'s execution to end' });
    appendFileSync(source, lines(251, 300));
    await new Promise((r) => setTimeout(r, 3000));
    expect(distinct(sink).size).toBe(250);
    expect(distinct(sink).has('line-251')).toBe(false);
    expect((await api('PUT', `/connectors/${src}/resume`)).status).toBe(202);
    await running(src);
    await sinkHas(300, 'the lines written while paused');
    expect([...distinct(sink)].sort()).toEqual(lines(1, 300).split('\n').filter(Boolean).sort());
  });

  it('a catalog connector on AWS: an S3 sink runs from the runner bundle and writes Confluent-named objects', async () => {
    const s3 = emulatorS3Client(s3Endpoint);
    const bucket = uniqueName('assembly-bucket');
    await createBucket(s3, bucket);
    const name = uniqueName('asm-s3');
    const created = await api('POST', '/connectors', {
      name,
      config: {
        'connector.class': 'io.confluent.connect.s3.S3SinkConnector',
        topics: topic,
        's3.bucket.name': bucket,
        's3.region': 'us-east-1',
        'store.url': s3Endpoint,
        'flush.size': '100',
        'format.class': 'io.confluent.connect.s3.format.json.JsonFormat',
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const keys = await eventually(async () => {
      const k = await listKeys(s3, bucket, `topics/${topic}/`);
      return k.length >= 3 ? k : undefined;
    }, { what: 'three S3 objects of 100 records', timeoutMs: 90_000 });
    expect(keys.slice(0, 3)).toEqual([0, 100, 200].map((o) => `topics/${topic}/partition=0/${topic}+0+${String(o).padStart(10, '0')}.json`));
    expect((await getObject(s3, bucket, keys[0] ?? '')).toString('utf8').split('\n')[0]).toMatch(/^"?line-1"?$/);
    expect((await api('DELETE', `/connectors/${name}`)).status).toBe(204);
  });

  it('the Fargate path moves data too, and ends when its connector is deleted', async () => {
    const fsrc = uniqueName('asm-fargate');
    const fileIn = join(dir, 'fargate-in.txt');
    const pad = 'x'.repeat(80);
    writeFileSync(fileIn, Array.from({ length: FARGATE_LINES }, (_, i) => `fargate-${i} ${pad}\n`).join(''));
    const megabytes = readFileSync(fileIn).length / 1_000_000;
    const fargateTopic = uniqueName('assembly-fargate');
    const fsnk = uniqueName('asm-fargate-sink');
    const fileOut = join(dir, 'fargate-out.txt');
    const config = { 'connector.class': 'FileStreamSource', file: fileIn, topic: fargateTopic, 'tributary.runner': 'fargate', 'tributary.fargate.cpu': '256', 'tributary.fargate.memory': '512' };
    expect((await api('POST', '/connectors', { name: fsnk, config: { 'connector.class': 'FileStreamSink', file: fileOut, topics: fargateTopic } })).status).toBe(201);
    const started = await api('POST', '/connectors', { name: fsrc, config });
    expect(started.status).toBe(201);
    // CPU the runner process spends on the data alone, from its first record to its last.
    const pid = await eventually(async () => [...host.fargate.running][0]?.pid, { what: 'the Fargate task to start', timeoutMs: 90_000 });
    await eventually(async () => existsSync(fileOut) && readFileSync(fileOut).length > 0, { what: 'the first Fargate record', timeoutMs: 90_000, intervalMs: 50 });
    const cpuBefore = cpuSecondsOf(pid);
    await eventually(async () => distinct(fileOut).size >= FARGATE_LINES, { what: `${FARGATE_LINES} lines through the Fargate runner`, timeoutMs: 120_000, intervalMs: 500 });
    measured.fargateCpuSecondsPerMb = (cpuSecondsOf(pid) - cpuBefore) / megabytes;
    expect(host.fargate.stats.tasks).toBeGreaterThan(0);
    expect((await status(fsrc)).tasks[0]?.worker_id).toMatch(/^fargate:/);
    expect((await api('DELETE', `/connectors/${fsrc}`)).status).toBe(204);
    expect((await api('DELETE', `/connectors/${fsnk}`)).status).toBe(204);
    await eventually(async () => host.fargate.running.size === 0, { what: 'the Fargate task to stop', timeoutMs: 90_000 });
    expect(host.bus.deliveries.some((d) => /FargateTaskStoppedRule/.test(d.rule))).toBe(true);
  });

  it('the scheduled sweep rule reaches the restarter, which finds nothing stale', async () => {
    const before = host.functions.restarter.stats.invocations;
    const results = (await host.bus.runSchedules()) as { outcomes: { action: string }[] }[];
    expect(host.functions.restarter.stats.invocations).toBe(before + 1);
    expect(results).toHaveLength(1);
    expect(results[0]?.outcomes.filter((o) => o.action === 'restarted')).toEqual([]);
  });

  it('delete ends the sink\'s executions and forgets it', async () => {
    expect((await api('DELETE', `/connectors/${snk}`)).status).toBe(204);
    expect((await api('GET', `/connectors/${snk}`)).status).toBe(404);
    await eventually(async () => !host.stepFunctions.running().some((e) => (e.input as { connector: string }).connector === snk), { what: 'the sink\'s execution to end' });
    expect((await api<string[]>('GET', '/connectors')).body).not.toContain(snk);
  });

  it('bad input through the proxy-event front gets 4xx in Connect\'s format, and nothing is stored', async () => {
    const bad = [
      await api('POST', '/connectors', undefined, '{"name": "x", '),
      await api('POST', '/connectors', { name: 'asm-bad', config: { 'connector.class': 'NoSuchConnector' } }),
      await api('POST', '/connectors', { name: 'asm-bad', config: { 'connector.class': 'FileStreamSource', topic: 'a', file: '/tmp/x', 'tasks.max': 'many' } }),
      await api('GET', '/connectors/asm-never-created/status'),
    ];
    for (const r of bad) {
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(r.body).toMatchObject({ error_code: r.status, message: expect.any(String) });
    }
    expect((await api<string[]>('GET', '/connectors')).body).not.toContain('asm-bad');
  });

  it('an invocation that overruns its Timeout is killed and reported as Lambda reports it', async () => {
    // The restarter's own bundle with a 1 s timeout, its DynamoDB endpoint a server that never answers.
    const blackHole = createServer(() => {});
    await new Promise<void>((r) => blackHole.listen(0, '127.0.0.1', r));
    const spec = { ...host.functions.restarter.spec, timeoutSeconds: 1, name: `${host.functions.restarter.spec.name}-timeout` };
    const log = createWriteStream(join(dir, 'timeout.log'));
    const sandbox = new LambdaSandbox(spec, isolateBundle(spec, mkdtempSync(join(dir, 'timeout-'))), {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'timeout',
      AWS_SECRET_ACCESS_KEY: 'timeout',
      AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${(blackHole.address() as AddressInfo).port}`,
    }, log);
    try {
      const error = await sandbox.invoke({ source: 'aws.events', 'detail-type': 'Scheduled Event' }).then(() => undefined, (e: Error) => e);
      expect(error).toBeInstanceOf(LambdaInvokeError);
      expect((error as LambdaInvokeError).errorType).toBe('Sandbox.Timedout');
      expect((error as LambdaInvokeError).errorMessage).toBe('Task timed out after 1.00 seconds');
      expect(sandbox.stats.timeouts).toBe(1);
    } finally {
      await sandbox.stop();
      blackHole.closeAllConnections();
      blackHole.close();
      log.end();
    }
  });

  it('an idle connector costs under $1 a month (30 min of idle simulated); steady-stream costs are measured and reported', async () => {
    expect((await api('DELETE', `/connectors/${src}`)).status).toBe(204);
    await eventually(async () => host.stepFunctions.running().length === 0, { what: 'every execution to end' });
    const idle = uniqueName('asm-idle');
    const before = snapshot(host);
    const wallStart = performance.now();
    expect((await api('POST', '/connectors', { name: idle, config: { 'connector.class': 'FileStreamSink', file: join(dir, 'idle-out.txt'), topics: uniqueName('assembly-idle') } })).status).toBe(201);
    // Simulated time: the seconds the Wait states asked for, plus the real time of the slices.
    const simulated = () => host.stepFunctions.stats.simulatedWaitSeconds - before.waitSeconds + (performance.now() - wallStart) / 1000;
    await eventually(async () => simulated() >= 1800, { what: '30 minutes of simulated idle time', timeoutMs: 150_000, intervalMs: 500 });
    const after = snapshot(host);
    expect((await api('DELETE', `/connectors/${idle}`)).status).toBe(204);

    const wakes = after.idleWaits - before.idleWaits;
    expect(wakes).toBeGreaterThan(5);
    const per = (n: number) => n / wakes;
    const runnerMb = host.functions.runner.spec.memoryMb;
    const lifecycleMb = host.functions.lifecycle.spec.memoryMb;
    const wake: IdleWake = {
      transitions: per(after.transitions - before.transitions),
      invocations: per(after.runnerCalls + after.lifecycleCalls - before.runnerCalls - before.lifecycleCalls),
      gbSeconds: per(((after.runnerMs - before.runnerMs) / 1000) * (runnerMb / 1024) + ((after.lifecycleMs - before.lifecycleMs) / 1000) * (lifecycleMb / 1024)),
      dynamoReads: per(after.reads - before.reads),
      dynamoWrites: per(after.writes - before.writes),
      sliceSeconds: per((after.runnerMs - before.runnerMs) / 1000),
    };
    const capSeconds = Number(host.functions.lifecycle.spec.environment.IDLE_BACKOFF_MAX_MS) / 1000;
    const idleMonth = idleMonthly(wake, capSeconds);
    const sliceSeconds = Number(host.functions.lifecycle.spec.environment.SLICE_BUDGET_MS) / 1000;
    const busyLambda = busyLambdaMonthly({ memoryMb: runnerMb, sliceSeconds, transitionsPerSlice: wake.transitions - 1, invocationsPerSlice: wake.invocations });
    const fargate = fargateMonthly(measured.fargateCpuSecondsPerMb ?? Number.NaN, 1);
    const report = {
      measured: {
        idle30Minutes: { simulatedSeconds: Math.round(simulated()), wakes, transitions: after.transitions - before.transitions, transitionsByState: countersDiff(after.byState, before.byState) },
        perIdleWake: wake,
        backoffCapSeconds: capSeconds,
        busySlice: { seconds: sliceSeconds, runnerMemoryMb: runnerMb, transitions: wake.transitions - 1 },
        fargateCpuSecondsPerMb: measured.fargateCpuSecondsPerMb,
      },
      prices: PRICES,
      monthlyUsdPerTask: {
        idleLambda: round(idleMonth.usd),
        idleWakesPerMonth: Math.round(idleMonth.wakes),
        steady1MBpsLambda: round(busyLambda),
        steady1MBpsFargate: { cpu: fargate.cpu, memoryMb: fargate.memoryMb, usd: round(fargate.usd) },
        mskConnect1Mcu: round(mskConnectMonthly()),
      },
    };
    console.log(`Cost per task:\n${JSON.stringify(report, null, 2)}`);
    if (process.env.TRIBUTARY_COST_JSON) writeFileSync(process.env.TRIBUTARY_COST_JSON, `${JSON.stringify(report, null, 2)}\n`);
    // The idle cost follows from counts (transitions, invocations) and the idle slice's fixed
    // wait; the steady-stream figures rest on CPU time, which this machine cannot vouch for, so
    // they are reported, not asserted.
    expect(idleMonth.usd).toBeLessThan(1);
  });

  describe('connectors declared as code, applied by CloudFormation through the provider framework and the handler bundle', () => {
    const customResource = (id: string) => host.resolver.ofType('Custom::TributaryConnector').find((l) => l.startsWith(id)) ?? id;
    const { source: ds, sink: dk } = declared;
    /** What a step of CloudFormation's returned, and the REST calls the handler made during it. */
    const callsDuring = async <T>(step: () => Promise<T>) => {
      const before = host.apiCallsBy('connectorResource').length;
      const result = await step();
      return { result, calls: host.apiCallsBy('connectorResource').slice(before) };
    };
    const configOf = async (name: string) => (await api<Record<string, string>>('GET', `/connectors/${name}/config`)).body;
    const offsetsOf = async (name: string) => (await api<{ offsets: unknown[] }>('GET', `/connectors/${name}/offsets`)).body;
    const positionReaches = (bytes: number) => eventually(async () => JSON.stringify(await offsetsOf(ds.name)).includes(`"position":${bytes}`), { what: `the declared source at position ${bytes}` });

    it('Create: each custom resource answers SUCCESS with the connector name as physical id, and the connectors run', async () => {
      const { result, calls } = await callsDuring(async () => [await host.customResources.create(customResource(ds.id)), await host.customResources.create(customResource(dk.id))]);
      expect(result).toEqual([
        expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: ds.name, LogicalResourceId: customResource(ds.id) }),
        expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: dk.name, LogicalResourceId: customResource(dk.id) }),
      ]);
      expect(calls).toEqual(['POST /connectors', 'POST /connectors']);
      expect(await configOf(ds.name)).toMatchObject(ds.config);
      await Promise.all([running(ds.name), running(dk.name)]);
      await positionReaches(readFileSync(declaredIn).length);
      await eventually(async () => distinct(declaredOut).size >= 3, { what: 'the declared lines in the kept sink\'s file', timeoutMs: 60_000 });
    });

    it('Update of the config: same physical id, the config replaced in place, the offsets kept', async () => {
      const offsets = await offsetsOf(ds.name);
      const { result, calls } = await callsDuring(() => host.customResources.update(customResource(ds.id), (p) => ({ ...p, Config: { ...p.Config, 'batch.size': '7' } })));
      expect(result).toEqual({ response: expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: ds.name }) });
      // In place: no delete, no create.
      expect(calls).toEqual([`PUT /connectors/${ds.name}/config`, `PUT /connectors/${ds.name}/resume`]);
      expect((await configOf(ds.name))['batch.size']).toBe('7');
      expect(await offsetsOf(ds.name)).toEqual(offsets);
      appendFileSync(declaredIn, lines(4, 6));
      await running(ds.name);
      await positionReaches(readFileSync(declaredIn).length);
      await eventually(async () => distinct(declaredOut).size >= 6, { what: 'the lines written after the update', timeoutMs: 60_000 });
    });

    it('Update of the desired state: PAUSED, still the same connector', async () => {
      const { result, calls } = await callsDuring(() => host.customResources.update(customResource(ds.id), (p) => ({ ...p, State: 'PAUSED' })));
      expect(result).toEqual({ response: expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: ds.name }) });
      expect(calls).toEqual([`PUT /connectors/${ds.name}/config`, `PUT /connectors/${ds.name}/pause`]);
      await eventually(async () => ((await status(ds.name)).connector.state === 'PAUSED' ? true : undefined), { what: 'the declared source PAUSED' });
    });

    it('a config Connect refuses: FAILED with Connect\'s message as the reason, and the rollback puts the previous properties back', async () => {
      const bad = { ...(await configOf(ds.name)), 'tasks.max': 'many' };
      // What the API answers to that config when asked directly (a refused change changes nothing).
      const refused = await api<{ message: string }>('PUT', `/connectors/${ds.name}/config`, bad);
      expect(refused.status).toBe(400);
      const { response, rollback } = await host.customResources.update(customResource(ds.id), (p) => ({ ...p, Config: { ...p.Config, 'tasks.max': 'many' } }));
      expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: ds.name });
      expect(response.Reason).toContain(refused.body.message);
      expect(rollback).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: ds.name });
      expect(await configOf(ds.name)).toMatchObject({ ...ds.config, 'batch.size': '7' });
      expect((await configOf(ds.name))['tasks.max']).toBeUndefined();
      expect((await status(ds.name)).connector.state).toBe('PAUSED');
    });

    it('Delete: the connector is gone; the retained one gets no request and keeps running', async () => {
      const { result, calls } = await callsDuring(async () => [await host.customResources.delete(customResource(ds.id)), await host.customResources.delete(customResource(dk.id))]);
      expect(result).toEqual([expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: ds.name }), 'retained']);
      expect(calls).toEqual([`DELETE /connectors/${ds.name}`]);
      expect((await api('GET', `/connectors/${ds.name}`)).status).toBe(404);
      expect((await status(dk.name)).connector.state).toBe('RUNNING');
      expect((await api('DELETE', `/connectors/${dk.name}`)).status).toBe(204);
    });
  });

  it('every AWS call of every principal is allowed by its policies in the template, and every grant is used or justified', () => {
    const calls = host.recorder.all();
    const byPrincipal = new Map<string, string[]>();
    for (const c of calls) byPrincipal.set(c.principal, [...(byPrincipal.get(c.principal) ?? []), `${c.action} ${c.resource} ×${c.count}`]);
    console.log(`Recorded AWS calls per principal:\n${[...byPrincipal].map(([p, l]) => `  ${p}\n${l.map((x) => `    ${x}`).join('\n')}`).join('\n')}`);
    expect(deniedCalls(host.resolver, calls)).toEqual([]);
    const principals = [...new Set(Object.values(host.principals))];
    const unused = principals.flatMap((p) => unusedGrants(host.resolver, p, calls));
    const key = (g: { principal: string; action: string }) => `${Object.entries(host.principals).find(([, id]) => id === g.principal)?.[0]} ${g.action}`;
    console.log(`Granted and never used:\n${unused.map((g) => `  ${key(g)} on ${g.resource}: ${UNUSED_GRANTS_JUSTIFIED[key(g)] ?? 'NOT JUSTIFIED'}`).join('\n')}`);
    expect(unused.map(key).filter((k) => !(k in UNUSED_GRANTS_JUSTIFIED))).toEqual([]);
  });
});
