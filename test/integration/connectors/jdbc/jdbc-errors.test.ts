/**
 * Clear errors from the JDBC connectors: rejected credentials and unreachable databases at
 * create time (`validate`) and at start, and unmappable column types naming table and column.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JdbcAuthenticationError, JdbcConnectionError, UnsupportedColumnTypeError } from '../../../../lib/connectors/jdbc/errors.ts';
import { JdbcSinkConnector } from '../../../../lib/connectors/jdbc/jdbc-sink-connector.ts';
import { JdbcSinkTask } from '../../../../lib/connectors/jdbc/jdbc-sink-task.ts';
import { JdbcSourceConnector } from '../../../../lib/connectors/jdbc/jdbc-source-connector.ts';
import { JdbcSourceTask } from '../../../../lib/connectors/jdbc/jdbc-source-task.ts';
import { MemoryOffsetStore, openTestDb, pollUntil, randomTable, sinkContext, sourceContext, type TestDb } from './jdbc-test-support.ts';

const MARIADB = 'jdbc:mariadb://127.0.0.1:3306/test';
const POSTGRES = 'jdbc:postgresql://127.0.0.1:5432/test';

describe('JDBC connectors report connection problems clearly', () => {
  it('validate() keys a rejected MariaDB password under connection.password, without echoing it', async () => {
    const errors = await new JdbcSourceConnector().validate({
      'connection.url': MARIADB,
      'connection.user': 'root',
      'connection.password': 'not-the-password',
      mode: 'bulk',
      'topic.prefix': 'x-',
    });
    expect(Object.keys(errors)).toEqual(['connection.password']);
    expect(errors['connection.password']?.[0]).toMatch(/^Authentication failed for user root at 127\.0\.0\.1:3306\/test: Access denied/);
    expect(JSON.stringify(errors)).not.toContain('not-the-password');
  });

  it('validate() keys an unknown PostgreSQL role under connection.password (trust auth accepts any password)', async () => {
    const errors = await new JdbcSinkConnector().validate({ 'connection.url': POSTGRES, 'connection.user': 'no_such_role_tributary' });
    expect(errors['connection.password']?.[0]).toMatch(/Authentication failed for user no_such_role_tributary .*role "no_such_role_tributary" does not exist/);
  });

  it('validate() keys an unreachable database or an unknown database under connection.url', async () => {
    const unreachable = await new JdbcSinkConnector().validate({ 'connection.url': 'jdbc:postgresql://127.0.0.1:1/test?user=postgres' });
    expect(unreachable['connection.url']?.[0]).toMatch(/^Cannot reach the database at 127\.0\.0\.1:1\/test: .*ECONNREFUSED/);
    const noDb = await new JdbcSinkConnector().validate({ 'connection.url': 'jdbc:postgresql://127.0.0.1:5432/no_such_db_tributary?user=postgres' });
    expect(noDb['connection.url']?.[0]).toMatch(/Database no_such_db_tributary does not exist/);
    // A malformed URL is a per-key error of the ConfigDef, which the runtime reports; validate() adds nothing.
    const connector = new JdbcSinkConnector();
    const props = { 'connection.url': 'jdbc:oracle:thin:@host:1521:db' };
    expect(await connector.validate(props)).toEqual({});
    expect(connector.config().validate(props).find((r) => r.name === 'connection.url')?.errors[0]).toMatch(/Unsupported JDBC URL/);
  });

  it('validate() of a good config with cross-key mistakes reports only those', async () => {
    const errors = await new JdbcSinkConnector().validate({ 'connection.url': `${POSTGRES}?user=postgres`, 'delete.enabled': 'true', 'pk.mode': 'record_value' });
    expect(errors).toEqual({ 'delete.enabled': ["Primary key mode must be 'record_key' when delete support is enabled"] });
  });

  it('tasks fail at start with a non-retriable JdbcAuthenticationError for a bad password', async () => {
    const props = { 'connection.url': `${MARIADB}?user=root&password=wrong`, mode: 'bulk', 'topic.prefix': 'x-', tables: '`test`.`whatever`' };
    const err = await new JdbcSourceTask().start(props, sourceContext(props, new MemoryOffsetStore())).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JdbcAuthenticationError);
    expect((err as JdbcAuthenticationError).retriable).toBe(false);
    const sinkProps = { 'connection.url': MARIADB, 'connection.password': 'wrong' };
    await expect(new JdbcSinkTask().start(sinkProps, sinkContext(sinkProps))).rejects.toBeInstanceOf(JdbcAuthenticationError);
  });

  it('tasks fail at start with a retriable JdbcConnectionError for an unreachable database', async () => {
    const props = { 'connection.url': 'jdbc:mysql://127.0.0.1:1/test?user=root&connectTimeout=2000' };
    const err = await new JdbcSinkTask().start(props, sinkContext(props)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JdbcConnectionError);
    expect((err as JdbcConnectionError).retriable).toBe(true);
  });
});

describe('JDBC source reports unmappable column types naming table and column', () => {
  let pg: TestDb;
  let maria: TestDb;
  const pgTable = randomTable('types');
  const mariaTable = randomTable('types');

  beforeAll(async () => {
    pg = await openTestDb('postgresql');
    maria = await openTestDb('mariadb');
    await pg.exec(`CREATE TABLE ${pg.q(pgTable)} (id INT PRIMARY KEY, tags INT[])`);
    await pg.exec(`INSERT INTO ${pg.q(pgTable)} VALUES (1, '{1,2}')`);
    await maria.exec(`CREATE TABLE ${maria.q(mariaTable)} (id INT PRIMARY KEY, place POINT)`);
    await maria.exec(`INSERT INTO ${maria.q(mariaTable)} VALUES (1, POINT(1, 2))`);
  });

  afterAll(async () => {
    await pg.drop(pgTable);
    await maria.drop(mariaTable);
    await pg.close();
    await maria.close();
  });

  it.each([
    ['postgresql', () => pg, () => pgTable, 'tags', '_int4'],
    ['mariadb', () => maria, () => mariaTable, 'place', 'geometry'],
  ] as const)('on %s', async (_kind, dbOf, tableOf, column, typeName) => {
    const db = dbOf();
    const table = tableOf();
    const props = { 'connection.url': db.url, mode: 'incrementing', 'incrementing.column.name': 'id', 'topic.prefix': '', tables: `${db.q(db.namespace)}.${db.q(table)}` };
    const task = new JdbcSourceTask();
    await task.start(props, sourceContext(props, new MemoryOffsetStore()));
    const err = await pollUntil(task, (all) => all.length > 0, { timeoutMs: 5000 }).catch((e: unknown) => e);
    await task.stop();
    expect(err).toBeInstanceOf(UnsupportedColumnTypeError);
    expect((err as Error).message).toBe(`Column ${column} of ${db.namespace}.${table} has type ${typeName}, which has no Kafka Connect schema mapping`);
  });
});
