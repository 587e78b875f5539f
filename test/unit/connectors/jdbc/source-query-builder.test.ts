import { describe, expect, it } from 'vitest';
import { MysqlDialect } from '../../../../lib/connectors/jdbc/mysql-dialect.ts';
import { PostgresDialect } from '../../../../lib/connectors/jdbc/postgres-dialect.ts';
import { buildBulkQuery, buildIncrementalQuery, buildTimestampTieQuery, type CriteriaSpec } from '../../../../lib/connectors/jdbc/source-query-builder.ts';

const pg = new PostgresDialect();
const my = new MysqlDialect();
const values = { incrementing: 41, timestamp: '2024-01-01 00:00:00.000000' };

function spec(dialect: PostgresDialect | MysqlDialect, over: Partial<CriteriaSpec> = {}): CriteriaSpec {
  const table = dialect instanceof PostgresDialect ? { schema: 'public', table: 'orders' } : { catalog: 'shop', table: 'orders' };
  return { dialect, from: { table }, incrementingColumn: 'id', timestampColumns: ['updated_at'], delayMs: 0, suffix: '', ...over };
}

describe('buildIncrementalQuery', () => {
  it('incrementing mode: id > ? ordered by id, limited to batch.max.rows', () => {
    expect(buildIncrementalQuery(spec(pg, { timestampColumns: [] }), values, 500)).toEqual({
      sql: 'SELECT * FROM "public"."orders" WHERE "id" > $1 ORDER BY "id" ASC LIMIT 500',
      params: ['41'],
    });
    expect(buildIncrementalQuery(spec(my, { timestampColumns: [] }), values, 500).sql).toBe(
      'SELECT * FROM `shop`.`orders` WHERE `id` > ? ORDER BY `id` ASC LIMIT 500',
    );
  });

  it('timestamp mode: after the last timestamp and before now minus the delay', () => {
    expect(buildIncrementalQuery(spec(pg, { incrementingColumn: null, delayMs: 1500 }), values, 10)).toEqual({
      sql:
        'SELECT * FROM "public"."orders" WHERE "updated_at" > $1 AND "updated_at" < (CURRENT_TIMESTAMP - INTERVAL \'1500 milliseconds\') ' +
        'ORDER BY "updated_at" ASC LIMIT 10',
      params: [values.timestamp],
    });
    expect(buildIncrementalQuery(spec(my, { incrementingColumn: null, delayMs: 1500 }), values, 10).sql).toBe(
      'SELECT * FROM `shop`.`orders` WHERE `updated_at` > ? AND `updated_at` < (NOW(6) - INTERVAL 1500000 MICROSECOND) ORDER BY `updated_at` ASC LIMIT 10',
    );
  });

  it('timestamp+incrementing mode: Confluent\'s clause, COALESCE over several timestamp columns', () => {
    const q = buildIncrementalQuery(spec(pg, { timestampColumns: ['modified', 'created'] }), values, 100);
    const ts = 'COALESCE("modified","created")';
    expect(q.sql).toBe(
      `SELECT * FROM "public"."orders" WHERE ${ts} < CURRENT_TIMESTAMP AND ((${ts} = $1 AND "id" > $2) OR ${ts} > $3) ORDER BY ${ts},"id" ASC LIMIT 100`,
    );
    expect(q.params).toEqual([values.timestamp, '41', values.timestamp]);
    expect(buildIncrementalQuery(spec(my), values, 100).sql).toBe(
      'SELECT * FROM `shop`.`orders` WHERE `updated_at` < NOW(6) AND ((`updated_at` = ? AND `id` > ?) OR `updated_at` > ?) ORDER BY `updated_at`,`id` ASC LIMIT 100',
    );
  });

  it('query mode appends the clause to the query, and query.suffix before the limit', () => {
    const q = buildIncrementalQuery(spec(pg, { from: { query: 'SELECT o.id, o.total FROM orders o' }, timestampColumns: [], suffix: 'FOR SHARE' }), { ...values, incrementing: 2n ** 62n }, 5);
    expect(q).toEqual({ sql: 'SELECT o.id, o.total FROM orders o WHERE "id" > $1 ORDER BY "id" ASC FOR SHARE LIMIT 5', params: ['4611686018427387904'] });
  });

  it('without quoting, identifiers are written as given', () => {
    expect(buildIncrementalQuery(spec(new PostgresDialect(false), { timestampColumns: [] }), values, 1).sql).toBe('SELECT * FROM public.orders WHERE id > $1 ORDER BY id ASC LIMIT 1');
  });
});

describe('bulk and tie queries', () => {
  it('bulk selects the whole table or query', () => {
    expect(buildBulkQuery(my, { table: { catalog: 'shop', table: 'orders' } }, '')).toBe('SELECT * FROM `shop`.`orders`');
    expect(buildBulkQuery(pg, { table: { schema: 'public', table: 'a"b' } }, '')).toBe('SELECT * FROM "public"."a""b"');
  });

  it('the tie query reads every row at one timestamp', () => {
    expect(buildTimestampTieQuery(spec(pg, { incrementingColumn: null }), values.timestamp)).toEqual({
      sql: 'SELECT * FROM "public"."orders" WHERE "updated_at" = $1',
      params: [values.timestamp],
    });
  });
});
