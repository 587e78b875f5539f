/**
 * Debezium's MySQL connector (io.debezium.connector.mysql.MySqlConnector), also registered as
 * its MariaDB connector (io.debezium.connector.mariadb.MariaDbConnector): one task reading the
 * ROW binlog as a replica. `validate` connects and checks what the binlog reader needs.
 */
import type { ConfigDef } from '../../config/config-def.ts';
import type { Props, SourceConnector, SourceTask } from '../../plugins/plugin-types.ts';
import { CdcError } from '../debezium-common/cdc-errors.ts';
import { binlogProblems, capturedTables, connect } from './my-catalog.ts';
import { myConfigDef, myCrossKeyErrors, parseMySettings } from './my-config.ts';
import { MySourceTask } from './my-source-task.ts';
import { MY_CONNECTOR_VERSION } from './my-version.ts';

export const MYSQL_CONNECTOR_CLASS = 'io.debezium.connector.mysql.MySqlConnector';
export const MARIADB_CONNECTOR_CLASS = 'io.debezium.connector.mariadb.MariaDbConnector';

export class MySqlConnector implements SourceConnector {
  readonly type = 'source';
  private props: Props = {};

  constructor(private readonly flavor: 'mysql' | 'mariadb' = 'mysql') {}

  version(): string {
    return MY_CONNECTOR_VERSION;
  }

  config(): ConfigDef {
    return myConfigDef();
  }

  async validate(props: Props): Promise<Record<string, string[]>> {
    const results = myConfigDef().validate(props);
    const errors = myCrossKeyErrors(props);
    if (results.some((r) => r.errors.length > 0) || Object.keys(errors).length > 0) return errors;
    const s = parseMySettings(props, this.flavor);
    const add = (key: string, msg: string) => (errors[key] = [...(errors[key] ?? []), msg]);
    let c;
    try {
      c = await connect(s);
    } catch (e) {
      const msg = (e as Error).message;
      add(/Authentication/.test(msg) ? 'database.user' : 'database.hostname', `Unable to connect: ${msg}`);
      return errors;
    }
    try {
      for (const p of await binlogProblems(c, s)) add(p.key, p.message);
      const tables = await capturedTables(c, s);
      for (const pattern of s.tableInclude) {
        const re = new RegExp(`^(?:${pattern})$`, 'i');
        if (!tables.some((t) => re.test(`${t.db}.${t.table}`))) add('table.include.list', `No table matches ${pattern}; check the name (database.table) and that the table exists.`);
      }
    } catch (e) {
      add('database.hostname', e instanceof CdcError ? e.message : `Checking the server failed: ${(e as Error).message}`);
    } finally {
      await c.end().catch(() => undefined);
    }
    return errors;
  }

  start(props: Props): void {
    parseMySettings(props, this.flavor);
    this.props = props;
  }

  /** One task: a binlog has one reader per connector, as in Debezium. */
  taskConfigs(): Props[] {
    return [{ ...this.props }];
  }

  createTask(): SourceTask {
    return new MySourceTask(this.flavor);
  }

  stop(): void {}

  alterOffsets(): boolean {
    return true;
  }
}
