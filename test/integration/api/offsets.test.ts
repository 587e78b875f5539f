/**
 * GET / PATCH / DELETE /connectors/{name}/offsets on a real local host and broker: source
 * offsets in Connect's format, sink offsets as group `connect-<name>`'s commits, the
 * STOPPED precondition, and tasks resuming from altered offsets.
 */
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { testKafka } from '../../support/kafka-helpers.ts';
import { startHostProcess, uniqueName, type HostProcess } from '../../support/local-host-process.ts';
import { eventually, rest } from '../../support/rest-client.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');

interface Offsets {
  offsets: { partition: Record<string, unknown>; offset: Record<string, unknown> | null }[];
}

const stopFirst = (name: string) => `Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/${name}/stop' endpoint`;

function lines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

describe('connector offsets through the REST API', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-offsets-'));
  const kafka = testKafka(kafkaBootstrap);
  let host: HostProcess;
  const url = () => host.restUrl;
  const running = (name: string) =>
    eventually(
      async () => {
        const s = (await rest<{ connector: { state: string }; tasks: { state: string }[] }>(url(), 'GET', `/connectors/${name}/status`)).body;
        return s.connector.state === 'RUNNING' && s.tasks.length > 0 && s.tasks.every((t) => t.state === 'RUNNING');
      },
      { what: `${name} RUNNING`, timeoutMs: 90_000 },
    );

  beforeAll(async () => {
    host = await startHostProcess({ kafkaBootstrap, dynamoEndpoint, dataDir: join(dir, 'data'), tableName: uniqueName('offsets'), env: { IDLE_BACKOFF_MAX_MS: '2000' } });
  });

  afterEach((ctx) => {
    // The host's log says why, when a wait times out.
    if (ctx.task.result?.state === 'fail') console.log(`Host output (tail):\n${host?.output().split('\n').slice(-40).join('\n')}`);
  });

  afterAll(async () => {
    await kafka.close();
    await host?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a source: offsets as {partition: {filename}, offset: {position}}; altered and reset only when STOPPED', async () => {
    const name = uniqueName('offsets-source');
    const input = join(dir, 'source.txt');
    const topic = uniqueName('offsets-source');
    writeFileSync(input, 'alpha\nbeta\n');
    const size = Buffer.byteLength('alpha\nbeta\n');
    expect((await rest(url(), 'POST', '/connectors', { name, config: { 'connector.class': 'FileStreamSource', file: input, topic, 'offset.flush.interval.ms': '500' } })).status).toBe(201);
    await running(name);
    const committed = await eventually(
      async () => {
        const o = (await rest<Offsets>(url(), 'GET', `/connectors/${name}/offsets`)).body;
        return o.offsets[0]?.offset?.position === size ? o : undefined;
      },
      { what: 'the source offset at the end of the file' },
    );
    expect(committed).toEqual({ offsets: [{ partition: { filename: input }, offset: { position: size } }] });

    const body = { offsets: [{ partition: { filename: input }, offset: { position: 0 } }] };
    expect(await rest(url(), 'PATCH', `/connectors/${name}/offsets`, body)).toMatchObject({ status: 400, body: { error_code: 400, message: stopFirst(name) } });
    expect(await rest(url(), 'DELETE', `/connectors/${name}/offsets`)).toMatchObject({ status: 400, body: { message: stopFirst(name) } });

    expect((await rest(url(), 'PUT', `/connectors/${name}/stop`)).status).toBe(204);
    const altered = await rest<{ message: string }>(url(), 'PATCH', `/connectors/${name}/offsets`, body);
    expect(altered.status).toBe(200);
    expect(altered.body.message).toMatch(/offsets for this connector have been altered successfully/);
    expect((await rest(url(), 'GET', `/connectors/${name}/offsets`)).body).toEqual(body);
    expect(await rest(url(), 'PATCH', `/connectors/${name}/offsets`, { offsets: [{ partition: { filename: input }, offset: { position: { nested: 1 } } }] })).toMatchObject({ status: 400 });

    // Resumed from position 0, the task reads the file again.
    appendFileSync(input, 'gamma\n');
    expect((await rest(url(), 'PUT', `/connectors/${name}/resume`)).status).toBe(202);
    await eventually(
      async () => {
        const o = (await rest<Offsets>(url(), 'GET', `/connectors/${name}/offsets`)).body;
        return o.offsets[0]?.offset?.position === size + Buffer.byteLength('gamma\n');
      },
      { what: 'the source offset after reading again' },
    );

    expect((await rest(url(), 'PUT', `/connectors/${name}/stop`)).status).toBe(204);
    const reset = await rest<{ message: string }>(url(), 'DELETE', `/connectors/${name}/offsets`);
    expect(reset.status).toBe(200);
    expect(reset.body.message).toMatch(/offsets for this connector have been reset successfully/);
    expect((await rest(url(), 'GET', `/connectors/${name}/offsets`)).body).toEqual({ offsets: [] });
  });

  it('a sink: offsets of group connect-<name>; altered, reset per partition, and deleted with the group', async () => {
    const name = uniqueName('offsets-sink');
    const topic = uniqueName('offsets-sink');
    const out = join(dir, 'sink.txt');
    await kafka.createTopics([topic]);
    await kafka.produce(topic, Array.from({ length: 5 }, (_, i) => ({ value: JSON.stringify(`record-${i}`) })));

    const config = { 'connector.class': 'FileStreamSink', topics: topic, file: out, 'value.converter': 'org.apache.kafka.connect.json.JsonConverter', 'value.converter.schemas.enable': 'false', 'offset.flush.interval.ms': '500' };
    expect((await rest(url(), 'POST', '/connectors', { name, config })).status).toBe(201);
    await eventually(async () => lines(out).length === 5, { what: '5 lines in the sink file' });
    const partition = { kafka_topic: topic, kafka_partition: 0 };
    await eventually(async () => JSON.stringify((await rest<Offsets>(url(), 'GET', `/connectors/${name}/offsets`)).body) === JSON.stringify({ offsets: [{ partition, offset: { kafka_offset: 5 } }] }), {
      what: 'the sink offset 5',
    });
    expect(await rest(url(), 'PATCH', `/connectors/${name}/offsets`, { offsets: [{ partition, offset: { kafka_offset: 2 } }] })).toMatchObject({ status: 400, body: { message: stopFirst(name) } });

    expect((await rest(url(), 'PUT', `/connectors/${name}/stop`)).status).toBe(204);
    const bad = [
      [{ partition: { kafka_topic: topic }, offset: { kafka_offset: 1 } }, "must contain the keys 'kafka_topic' and 'kafka_partition'"],
      [{ partition: { kafka_topic: topic, kafka_partition: 'x' }, offset: { kafka_offset: 1 } }, "Failed to parse the following Kafka partition value in the provided offsets: 'x'"],
      [{ partition, offset: { kafka_offset: -1 } }, 'Failed to parse the following Kafka offset value'],
      [{ partition, offset: { foo: 1 } }, "should either be null or contain the key 'kafka_offset'"],
      [{ offset: { kafka_offset: 1 } }, 'cannot be null or missing'],
      [{ partition: { kafka_topic: topic, kafka_partition: 7 }, offset: { kafka_offset: 1 } }, `${topic}-7 does not exist`],
    ] as const;
    for (const [entry, message] of bad) {
      const r = await rest<{ error_code: number; message: string }>(url(), 'PATCH', `/connectors/${name}/offsets`, { offsets: [entry] });
      expect(r.status, JSON.stringify(entry)).toBe(400);
      expect(r.body.message).toContain(message);
    }
    expect(await rest(url(), 'PATCH', `/connectors/${name}/offsets`, { offsets: [] })).toMatchObject({ status: 400, body: { message: 'Partitions / offsets need to be provided for an alter offsets request' } });

    const altered = await rest(url(), 'PATCH', `/connectors/${name}/offsets`, { offsets: [{ partition, offset: { kafka_offset: '2' } }] });
    expect(altered).toMatchObject({ status: 200, body: { message: 'The offsets for this connector have been altered successfully' } });
    expect((await rest(url(), 'GET', `/connectors/${name}/offsets`)).body).toEqual({ offsets: [{ partition, offset: { kafka_offset: 2 } }] });

    // Resumed, the sink consumes again from offset 2: records 2, 3 and 4 a second time.
    expect((await rest(url(), 'PUT', `/connectors/${name}/resume`)).status).toBe(202);
    await eventually(async () => lines(out).length === 8, { what: '8 lines in the sink file' });
    expect(lines(out).slice(5)).toEqual(['record-2', 'record-3', 'record-4']);

    expect((await rest(url(), 'PUT', `/connectors/${name}/stop`)).status).toBe(204);
    // A null offset resets the partition: no committed offset, as Connect shows it.
    expect((await rest(url(), 'PATCH', `/connectors/${name}/offsets`, { offsets: [{ partition, offset: null }] })).status).toBe(200);
    expect((await rest(url(), 'GET', `/connectors/${name}/offsets`)).body).toEqual({ offsets: [] });

    await rest(url(), 'PATCH', `/connectors/${name}/offsets`, { offsets: [{ partition, offset: { kafka_offset: 4 } }] });
    const groupOffsets = async () => (await kafka.committedOffsets(`connect-${name}`, topic))[0]?.offset;
    expect(await groupOffsets()).toBe(4);
    const reset = await rest(url(), 'DELETE', `/connectors/${name}/offsets`);
    expect(reset).toMatchObject({ status: 200, body: { message: 'The offsets for this connector have been reset successfully' } });
    expect(await kafka.listGroups()).not.toContain(`connect-${name}`);
    expect(await groupOffsets()).toBe(-1);
    expect((await rest(url(), 'GET', `/connectors/${name}/offsets`)).body).toEqual({ offsets: [] });
  });

  it('offsets of an unknown connector: 404', async () => {
    expect(await rest(url(), 'GET', '/connectors/nope/offsets')).toMatchObject({ status: 404, body: { error_code: 404, message: 'Connector nope not found' } });
    expect(await rest(url(), 'DELETE', '/connectors/nope/offsets')).toMatchObject({ status: 404 });
    expect(await rest(url(), 'PATCH', '/connectors/nope/offsets', { offsets: [{ partition: { a: 1 }, offset: null }] })).toMatchObject({ status: 404 });
  });
});
