/**
 * Two runners for the same task: once a newer one claims the lease, the older one can no
 * longer commit offsets (and stops), and only the newer one's commits land.
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ConnectorService } from '../../../lib/control/connector-service.ts';
import { PlatformaticKafka } from '../../../lib/kafka/platformatic-adapter.ts';
import type { Orchestrator } from '../../../lib/orchestrator/orchestrator-port.ts';
import { pluginRegistry } from '../../../lib/catalog/builtin-plugins.ts';
import { createLogger } from '../../../lib/observability/structured-logger.ts';
import type { RunnerInput } from '../../../lib/runtime/runner-input.ts';
import { SliceRunner } from '../../../lib/runtime/slice-runner.ts';
import { SourceOffsetStore } from '../../../lib/runtime/source-offset-store.ts';
import type { ConnectorStore } from '../../../lib/store/store-ports.ts';
import { createStore } from '../../../lib/store/store-factory.ts';
import { uniqueName } from '../../support/local-host-process.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');

/** Executions are started by hand in this test: the orchestrator only records requests. */
const recordingOrchestrator: Orchestrator = { startExecution: async () => {} };

describe('lease fencing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-fencing-'));
  const file = join(dir, 'in.txt');
  const name = uniqueName('fenced-source');
  const kafka = new PlatformaticKafka({ clientId: 'tributary-test', bootstrapBrokers: [kafkaBootstrap] });
  const log = createLogger('fencing-test', 'ERROR');
  let store: ConnectorStore;
  let older: SliceRunner;
  let newer: SliceRunner;

  const committedPositions = async (): Promise<number | undefined> => {
    const offsets = new SourceOffsetStore({ kafka, store }, name, 'connect-offsets', 'reader');
    await offsets.load();
    return offsets.all()[0]?.offset.position as number | undefined;
  };
  const input = (epoch: number): RunnerInput => ({ connector: name, task: 0, epoch, budgetMs: 4000, idleMs: 1500, commitIntervalMs: 300 });

  beforeAll(async () => {
    store = createStore({ tableName: uniqueName('fencing'), endpoint: dynamoEndpoint });
    await store.ensureTable();
    const registry = await pluginRegistry();
    const control = new ConnectorService({ store, registry, orchestrator: recordingOrchestrator, workerId: 'test' });
    writeFileSync(file, 'a\nb\nc\n');
    await control.create(name, { name, 'connector.class': 'FileStreamSource', file, topic: uniqueName('fenced') });
    older = new SliceRunner({ store, kafka, registry, log, workerId: 'older' });
    newer = new SliceRunner({ store, kafka, registry, log, workerId: 'newer' });
  });

  afterAll(async () => {
    await older.shutdown();
    await newer.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets only the runner holding the current epoch commit', async () => {
    const first = await store.claimLease(name, 0, 'execution-1');
    const r1 = await older.run(input(first));
    expect(r1.records).toBe(3);
    expect(await committedPositions()).toBe(6);

    // A newer execution takes the task while the older runner is in the middle of a slice.
    const slice = older.run(input(first));
    await new Promise((r) => setTimeout(r, 100));
    const second = await store.claimLease(name, 0, 'execution-2');
    expect(second).toBe(first + 1);
    appendFileSync(file, 'd\ne\nf\n');
    const fenced = await slice;
    expect(fenced.hint).toBe('fenced');
    expect(await committedPositions()).toBe(6);

    // A runner that still believes in the old epoch is turned away before it starts.
    expect((await older.run(input(first))).hint).toBe('fenced');
    expect(await committedPositions()).toBe(6);

    const r3 = await newer.run(input(second));
    expect(r3.hint).not.toBe('fenced');
    expect(await committedPositions()).toBe(12);
  });
});
