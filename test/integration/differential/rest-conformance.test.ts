/**
 * Differential test of the REST API: the same scripted calls against real Apache Kafka
 * Connect 4.1.1 and against Tributary (as `npm start` runs it), on the same broker,
 * compared step by step on status code, body shape and the values that must agree.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApacheConnect } from '../../support/apache-connect.ts';
import { freePort, startHostProcess, uniqueName } from '../../support/local-host-process.ts';
import { compareStep, formatTable, type StepComparison } from './conformance-diff.ts';
import { runScript, STEPS, type ScriptContext, type StepResult } from './conformance-script.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');

describe('REST conformance: Tributary vs Apache Kafka Connect 4.1.1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rest-conformance-'));
  let apache: StepResult[] = [];
  let tributary: StepResult[] = [];
  let comparisons: StepComparison[] = [];
  let tributaryFailure: string | undefined;

  // Each side gets its own connector name, file and topic; normalisation makes them comparable.
  const context = (side: string): ScriptContext => {
    const file = join(dir, `${side}-input.txt`);
    writeFileSync(file, Array.from({ length: 5 }, (_, i) => `line-${i}\n`).join(''));
    return { name: uniqueName(`conformance-${side}`), file, topic: uniqueName(`conformance-${side}`) };
  };

  beforeAll(async () => {
    const worker = await startApacheConnect({ bootstrapServers: kafkaBootstrap, workDir: dir, port: await freePort(), xmx: '512m', offsetFlushIntervalMs: 1000 });
    try {
      apache = await runScript(worker.restUrl, context('apache'));
    } finally {
      await worker.stop();
    }

    try {
      const host = await startHostProcess({ kafkaBootstrap, dynamoEndpoint, dataDir: join(dir, 'tributary'), tableName: uniqueName('conformance') });
      try {
        tributary = await runScript(host.restUrl, context('tributary'));
      } finally {
        await host.stop('SIGTERM');
      }
    } catch (e) {
      tributaryFailure = `Tributary did not start: ${(e as Error).message.slice(0, 2000)}`;
      tributary = STEPS.map(() => ({ status: 0, body: null, headers: {}, problem: tributaryFailure, elapsedMs: 0 }));
    }
    comparisons = STEPS.map((s, i) => compareStep(s, apache[i]!, tributary[i]!));
  }, 600_000);

  afterAll(() => {
    if (comparisons.length) console.log(`\n${formatTable(STEPS, apache, tributary, comparisons)}\n`);
    rmSync(dir, { recursive: true, force: true });
  });

  describe('Apache Kafka Connect answers as the script records', () => {
    it.each(STEPS.map((s, i) => [s.id, i] as const))('%s', (_id, i) => {
      expect(apache[i]?.problem).toBeUndefined();
      expect(apache[i]?.status).toBe(STEPS[i]!.apacheStatus);
    });
  });

  describe('Tributary answers as Apache does', () => {
    it.each(STEPS.map((s, i) => [s.id, i] as const))('%s', (_id, i) => {
      expect(comparisons[i]?.differences).toEqual([]);
    });
  });
});
