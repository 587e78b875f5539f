/**
 * Debezium's PostgreSQL connector (io.debezium.connector.postgresql.PostgresConnector): one task
 * streaming the pgoutput logical replication of one slot. `validate` connects and checks what
 * change data capture needs (credentials, wal_level, the REPLICATION privilege, the tables, the
 * publication), naming the key to fix.
 */
import type { ConfigDef, ConfigValueType } from '../../config/config-def.ts';
import type { Props, SourceConnector, SourceTask } from '../../plugins/plugin-types.ts';
import { CdcError } from '../debezium-common/cdc-errors.ts';
import { capturedTables, connect, replicationProblems } from './pg-catalog.ts';
import { parsePgSettings, pgConfigDef, pgCrossKeyErrors } from './pg-config.ts';
import { PgSourceTask } from './pg-source-task.ts';
import { PG_CONNECTOR_VERSION } from './pg-version.ts';

export const PG_CONNECTOR_CLASS = 'io.debezium.connector.postgresql.PostgresConnector';

export class PostgresConnector implements SourceConnector {
  readonly type = 'source';
  private props: Props = {};

  version(): string {
    return PG_CONNECTOR_VERSION;
  }

  config(): ConfigDef {
    return pgConfigDef();
  }

  async validate(props: Props): Promise<Record<string, string[]>> {
    const def = pgConfigDef();
    const results = def.validate(props);
    const errors = pgCrossKeyErrors(props);
    // Connection checks only make sense once the keys themselves are valid.
    if (results.some((r) => r.errors.length > 0) || Object.keys(errors).length > 0) return errors;
    const parsed: Record<string, ConfigValueType> = {};
    for (const r of results) parsed[r.name] = r.value;
    const s = parsePgSettings(props);
    const add = (key: string, msg: string) => (errors[key] = [...(errors[key] ?? []), msg]);
    let client;
    try {
      client = await connect(s);
    } catch (e) {
      const msg = (e as Error).message;
      add(/Authentication|password/i.test(msg) ? 'database.user' : /does not exist/.test(msg) ? 'database.dbname' : 'database.hostname', `Unable to connect: ${msg}`);
      return errors;
    }
    try {
      for (const p of await replicationProblems(client, s)) add(p.key, p.message);
      const tables = await capturedTables(client, s);
      if (s.tableInclude.length > 0) {
        for (const pattern of s.tableInclude) {
          const re = new RegExp(`^(?:${pattern})$`, 'i');
          if (!tables.some((t) => re.test(`${t.schema}.${t.table}`))) add('table.include.list', `No table matches ${pattern} in database ${s.dbname}; check the name (schema.table) and that the table exists.`);
        }
      }
    } catch (e) {
      add('database.hostname', e instanceof CdcError ? e.message : `Checking the server failed: ${(e as Error).message}`);
    } finally {
      await client.end().catch(() => undefined);
    }
    return errors;
  }

  start(props: Props): void {
    parsePgSettings(props);
    this.props = props;
  }

  /** Debezium's PostgreSQL connector always runs one task: a slot has one reader. */
  taskConfigs(): Props[] {
    return [{ ...this.props }];
  }

  createTask(): SourceTask {
    return new PgSourceTask();
  }

  stop(): void {}

  /** Offsets may be set through the REST API; the slot follows on the next start (it only moves forward). */
  alterOffsets(): boolean {
    return true;
  }
}
