/**
 * Writes records to Cassandra tables with prepared statements. Records of one partition are
 * written in order, in unlogged batches of up to `maxNumberOfRecordsInBatch`; partitions are
 * written side by side, at most `maxConcurrentRequests` requests at once. Every write has been
 * acknowledged at the table's consistency level when `put` returns, so a commit never covers an
 * unwritten record. Writes carry the record's timestamp, so writing a record again after a
 * restart changes nothing.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Client } from 'cassandra-driver';
import type { SinkRecord } from '../../plugins/connect-record.ts';
import type { Props, SinkTask } from '../../plugins/plugin-types.ts';
import { CASSANDRA_SINK_VERSION } from './cassandra-version.ts';
import { cassandraSinkConfigDef, parseTableSettings } from './cassandra-sink-config.ts';
import { classify, isDriverError, openSession } from './cassandra-session.ts';
import { TableWriter, type RecordStatement } from './cassandra-table-writer.ts';
import { CassandraSchemaError, CassandraWriteError } from './errors.ts';

const log = new Logger({ serviceName: 'tributary', persistentKeys: { component: 'cassandra-sink' } });

interface PartitionWrites {
  readonly writer: TableWriter;
  readonly statements: RecordStatement[];
}

export class CassandraSinkTask implements SinkTask {
  private props: Props = {};
  private client: Client | undefined;
  private writers = new Map<string, TableWriter[]>();
  private batchSize = 32;
  private concurrency = 500;
  private ignoreErrors: 'None' | 'All' | 'Driver' = 'None';

  version(): string {
    return CASSANDRA_SINK_VERSION;
  }

  async start(props: Props): Promise<void> {
    const parsed = cassandraSinkConfigDef().parse(props);
    const { tables, errors } = parseTableSettings(props);
    const [firstKey, firstErrors] = Object.entries(errors)[0] ?? [];
    if (firstKey) throw new CassandraSchemaError(firstErrors?.join(' ') ?? '', { key: firstKey });
    this.props = props;
    this.batchSize = Number(parsed.maxNumberOfRecordsInBatch);
    this.concurrency = Number(parsed.maxConcurrentRequests);
    this.ignoreErrors = parsed.ignoreErrors as 'None' | 'All' | 'Driver';
    this.client = await openSession(props);
    try {
      for (const spec of tables) {
        const writer = await TableWriter.open(this.client, spec);
        this.writers.set(spec.topic, [...(this.writers.get(spec.topic) ?? []), writer]);
      }
    } catch (e) {
      await this.stop();
      throw classify(e, props);
    }
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    if (records.length === 0) return;
    const partitions = new Map<string, PartitionWrites>();
    for (const r of records) {
      const writers = this.writers.get(r.topic);
      if (!writers) throw new CassandraWriteError(`No table is mapped for topic ${r.topic}: add a topic.${r.topic}.<keyspace>.<table>.mapping setting.`);
      for (const writer of writers) {
        let statement: RecordStatement;
        try {
          statement = writer.statement(r);
        } catch (e) {
          if (this.ignoreErrors !== 'All' || !(e instanceof CassandraWriteError)) throw e;
          log.warn('Record skipped (ignoreErrors=All)', { error: e.message });
          continue;
        }
        const id = `${writer.spec.prefix}${statement.partition}`;
        let p = partitions.get(id);
        if (!p) partitions.set(id, (p = { writer, statements: [] }));
        p.statements.push(statement);
      }
    }
    await this.writeAll([...partitions.values()]);
  }

  async stop(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    this.writers = new Map();
    await c?.shutdown().catch(() => undefined);
  }

  /** Runs the partitions' writes with at most `maxConcurrentRequests` in flight; the first failure is thrown once all have settled. */
  private async writeAll(partitions: PartitionWrites[]): Promise<void> {
    let next = 0;
    let failure: unknown;
    const worker = async () => {
      while (failure === undefined && next < partitions.length) {
        const p = partitions[next++] as PartitionWrites;
        try {
          for (let i = 0; i < p.statements.length; i += this.batchSize) await this.write(p.writer, p.statements.slice(i, i + this.batchSize));
        } catch (e) {
          failure ??= e;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, partitions.length) }, worker));
    if (failure !== undefined) throw failure;
  }

  private async write(writer: TableWriter, statements: RecordStatement[]): Promise<void> {
    const client = this.client;
    if (!client) throw new CassandraWriteError('The task is not started');
    const options = { prepare: true, consistency: writer.consistency };
    try {
      if (statements.length === 1) {
        const [s] = statements as [RecordStatement];
        await client.execute(s.query, s.params, options);
      } else {
        await client.batch(
          statements.map((s) => ({ query: s.query, params: s.params })),
          { ...options, logged: false },
        );
      }
    } catch (e) {
      const err = classify(e, this.props);
      const skip = !err.retriable && (this.ignoreErrors === 'All' || (this.ignoreErrors === 'Driver' && isDriverError(e)));
      if (!skip) throw err;
      log.warn(`${statements.length} record(s) skipped (ignoreErrors=${this.ignoreErrors})`, { table: `${writer.spec.keyspace}.${writer.spec.table}`, error: err.message });
    }
  }
}
