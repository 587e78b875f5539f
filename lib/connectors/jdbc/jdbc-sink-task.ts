/**
 * The JDBC sink task (io.confluent.connect.jdbc.sink.JdbcSinkTask): writes each `put` batch in
 * one transaction, so a batch is either fully written or not at all; `flush` has nothing left
 * to do. Transient failures (lost connection, deadlock) are thrown as retriable, up to
 * `max.retries` times in a row.
 */
import type { SinkRecord } from '../../plugins/connect-record.ts';
import type { PartitionOffsets, Props, SinkTask, SinkTaskContext } from '../../plugins/plugin-types.ts';
import { describeTarget, statementError } from './driver-errors.ts';
import { JdbcError } from './errors.ts';
import { openJdbcClient, type JdbcClient } from './jdbc-client.ts';
import { jdbcLogger } from './jdbc-logger.ts';
import { parseSinkSettings, type JdbcSinkSettings } from './jdbc-sink-config.ts';
import { JDBC_CONNECTOR_VERSION } from './jdbc-version.ts';
import { planSegments, segmentStatements } from './sink-statement-planner.ts';
import { SinkTableManager } from './sink-table-manager.ts';

export class JdbcSinkTask implements SinkTask {
  private settings: JdbcSinkSettings | null = null;
  private client: JdbcClient | null = null;
  private tables: SinkTableManager | null = null;
  private consecutiveFailures = 0;

  version(): string {
    return JDBC_CONNECTOR_VERSION;
  }

  async start(props: Props, _context: SinkTaskContext): Promise<void> {
    this.settings = parseSinkSettings(props);
    this.tables = new SinkTableManager(this.settings);
    this.client = await openJdbcClient(this.settings.client);
    jdbcLogger.info('JDBC sink task started', { target: describeTarget(this.settings.client), insertMode: this.settings.insertMode });
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    const settings = this.settings;
    const tables = this.tables;
    if (!settings || !tables) throw new Error('put called before start');
    if (records.length === 0) return;
    try {
      const client = (this.client ??= await openJdbcClient(settings.client));
      const segments = planSegments(records, settings, client.dialect);
      // DDL first: MySQL commits implicitly around DDL, so it cannot sit inside the batch transaction.
      for (const seg of segments) {
        if (seg.op === 'write') await tables.ensure(client, seg.table, [...seg.meta.keyColumns, ...seg.meta.valueColumns]);
      }
      await client.transaction(async () => {
        for (const seg of segments) {
          const statements = segmentStatements(seg, settings, client.dialect, settings.client.timeZone);
          for (const st of statements) {
            try {
              await client.execute(st.sql, st.params);
            } catch (e) {
              throw statementError(e, seg.label);
            }
          }
        }
      });
      this.consecutiveFailures = 0;
    } catch (e) {
      const topics = [...new Set(records.map((r) => r.topic))].join(', ');
      await this.onFailure(statementError(e, `the table(s) of topic(s) ${topics}`), settings);
    }
  }

  /** Every `put` committed its own transaction, so there is nothing to flush. */
  flush(_offsets: PartitionOffsets): void {}

  async stop(): Promise<void> {
    const c = this.client;
    this.client = null;
    if (c) await c.close();
  }

  private async onFailure(e: unknown, settings: JdbcSinkSettings): Promise<never> {
    const retriable = e instanceof JdbcError && e.retriable;
    this.tables?.clear();
    if (!retriable) throw e;
    // The connection may be gone; the next put reconnects.
    const c = this.client;
    this.client = null;
    await c?.close().catch(() => undefined);
    this.consecutiveFailures++;
    if (this.consecutiveFailures > settings.maxRetries) {
      throw new JdbcError(`Giving up after ${settings.maxRetries} retries: ${e.message}`, { cause: e, retriable: false });
    }
    jdbcLogger.warn('JDBC sink write failed; the batch will be retried', { attempt: this.consecutiveFailures, error: e.message });
    // Connect would call context.timeout(retry.backoff.ms); waiting here delays the redelivery the same way.
    await new Promise((resolve) => setTimeout(resolve, settings.retryBackoffMs));
    throw e;
  }
}
