/**
 * SIGKILL of a runner at random moments during a large transfer, repeated: zero records
 * lost; zero duplicated with an exactly-once source; for an at-least-once one, per kill at most
 * the default record bound of a commit and about one commit interval. Size:
 * TRIBUTARY_KILL_TEST_RECORDS (default 1,000,000).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_COMMIT_MAX_RECORDS } from '../../../lib/runtime/runner-input.ts';
import { killRunner } from '../../support/fault-helpers.ts';
import { countNumberedLines, testKafka, writeNumberedLines } from '../../support/kafka-helpers.ts';
import { startHostProcess, uniqueName, type HostProcess } from '../../support/local-host-process.ts';
import { eventually, rest } from '../../support/rest-client.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');
const RECORDS = Number(process.env.TRIBUTARY_KILL_TEST_RECORDS ?? 1_000_000);
const KILLS = 3;
const COMMIT_INTERVAL_MS = 1000;

describe(`SIGKILL of runners during a ${RECORDS.toLocaleString()}-record transfer`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-kill-'));
  const file = join(dir, 'in.txt');
  const kafka = testKafka(kafkaBootstrap);
  let host: HostProcess;

  beforeAll(async () => {
    writeNumberedLines(file, RECORDS);
    host = await startHostProcess({ kafkaBootstrap, dynamoEndpoint, dataDir: join(dir, 'data'), tableName: uniqueName('kill'), env: { IDLE_BACKOFF_MAX_MS: '2000' } });
  });

  afterAll(async () => {
    await kafka.close();
    await host?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function transferWithKills(extra: Record<string, string>): Promise<{ counts: Uint8Array; seconds: number; peakPerInterval: number }> {
    const topic = uniqueName('kill-topic');
    const name = uniqueName('kill-source');
    const started = Date.now();
    const created = await rest(host.restUrl, 'POST', '/connectors', {
      name,
      config: { 'connector.class': 'FileStreamSource', file, topic, 'offset.flush.interval.ms': String(COMMIT_INTERVAL_MS), 'tributary.restart.max.per.hour': '100', ...extra },
    });
    expect(created.status).toBe(201);
    const samples: [number, number][] = [];
    const produced = async () => {
      const n = (await kafka.watermarks(topic).catch(() => [])).reduce((sum, w) => sum + w.high, 0);
      samples.push([Date.now(), n]);
      return n;
    };
    for (let k = 0; k < KILLS; k++) {
      // A random moment while data is flowing.
      const target = Math.floor((RECORDS * (k + 1)) / (KILLS + 2) + Math.random() * (RECORDS / (KILLS + 2) / 2));
      await eventually(async () => (await produced()) >= target, { what: `${target} records produced`, timeoutMs: 300_000, intervalMs: 50 });
      await killRunner(host.restUrl, name);
    }
    await eventually(
      async () => {
        await produced();
        const offsets = (await rest<{ offsets: { offset: { position: number } }[] }>(host.restUrl, 'GET', `/connectors/${name}/offsets`)).body.offsets;
        return offsets[0]?.offset.position === RECORDS * 100;
      },
      { what: 'the whole file to be committed', timeoutMs: 600_000, intervalMs: 500 },
    );
    const seconds = (Date.now() - started) / 1000;
    await rest(host.restUrl, 'DELETE', `/connectors/${name}`);
    // The most records produced within any one commit interval: what a kill can replay at most.
    let peakPerInterval = 0;
    for (const [t, n] of samples) {
      const later = samples.filter(([u]) => u > t && u - t <= COMMIT_INTERVAL_MS * 1.5);
      for (const [, m] of later) peakPerInterval = Math.max(peakPerInterval, m - n);
    }
    return { counts: await countNumberedLines(kafka, topic, RECORDS), seconds, peakPerInterval };
  }

  // Regression: the offsets snapshot was once updated inside the transaction, before Kafka
  // committed it; a kill between the two made the next runner skip a whole poll batch.
  it('loses nothing and duplicates nothing with an exactly-once source', async () => {
    const { counts, seconds } = await transferWithKills({ 'exactly.once.support': 'required' });
    const missing = counts.reduce((n, c) => n + (c === 0 ? 1 : 0), 0);
    const duplicated = counts.reduce((n, c) => n + (c > 1 ? c - 1 : 0), 0);
    console.log(`exactly-once: ${RECORDS} records with ${KILLS} kills in ${seconds.toFixed(1)} s: ${missing} missing, ${duplicated} duplicated`);
    expect(missing).toBe(0);
    expect(duplicated).toBe(0);
  }, 300_000);

  it('loses nothing and duplicates at most the record bound and about a commit interval per kill at least once', async () => {
    const { counts, seconds, peakPerInterval } = await transferWithKills({});
    const missing = counts.reduce((n, c) => n + (c === 0 ? 1 : 0), 0);
    const duplicated = counts.reduce((n, c) => n + (c > 1 ? c - 1 : 0), 0);
    console.log(`at-least-once: ${RECORDS} records with ${KILLS} kills in ${seconds.toFixed(1)} s: ${missing} missing, ${duplicated} duplicated (at most ${peakPerInterval} records produced in one commit interval)`);
    expect(missing).toBe(0);
    // Each kill replays what was sent since the last commit: never more than the record bound
    // (tributary.offset.flush.max.records, left at its default here), and at most one interval's
    // worth plus the batch in flight.
    expect(duplicated).toBeLessThanOrEqual(KILLS * DEFAULT_COMMIT_MAX_RECORDS);
    expect(duplicated).toBeLessThanOrEqual(KILLS * (peakPerInterval + 16_384));
  }, 300_000);
});
