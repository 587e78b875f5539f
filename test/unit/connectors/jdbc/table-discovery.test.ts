import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MysqlDialect } from '../../../../lib/connectors/jdbc/mysql-dialect.ts';
import { PostgresDialect } from '../../../../lib/connectors/jdbc/postgres-dialect.ts';
import { splitTableList, type TableId } from '../../../../lib/connectors/jdbc/sql-dialect.ts';
import { encodeTableList, filterTables, groupRoundRobin } from '../../../../lib/connectors/jdbc/table-discovery.ts';

const pg = new PostgresDialect();
const none = { whitelist: [], blacklist: [], includeList: [], excludeList: [] };
const t = (schema: string, table: string): TableId => ({ schema, table });
const all = [t('public', 'accounts'), t('public', 'orders'), t('audit', 'log'), t('public', 'order_items')];

describe('filterTables', () => {
  it('whitelist matches unqualified, qualified or quoted names', () => {
    expect(filterTables(all, pg, { ...none, whitelist: ['accounts', 'audit.log', '"public"."orders"'] }).map((x) => x.table)).toEqual(['accounts', 'orders', 'log']);
  });

  it('blacklist removes', () => {
    expect(filterTables(all, pg, { ...none, blacklist: ['orders', 'audit.log'] }).map((x) => x.table)).toEqual(['accounts', 'order_items']);
  });

  it('include/exclude regexes match the whole qualified name', () => {
    const got = filterTables(all, pg, { ...none, includeList: ['public\\.order.*', 'audit\\..*'], excludeList: ['.*items'] });
    expect(got.map((x) => x.table)).toEqual(['orders', 'log']);
    expect(filterTables(all, pg, { ...none, includeList: ['order'] })).toEqual([]);
  });

  it('fails when two included tables share an unqualified name (they would share a topic)', () => {
    expect(() => filterTables([t('a', 'users'), t('b', 'users')], pg, none)).toThrow(/a\.users, b\.users/);
  });
});

describe('task distribution', () => {
  it('groups round-robin into at most tasks.max groups', () => {
    expect(groupRoundRobin(['a', 'b', 'c', 'd', 'e'], 2)).toEqual([['a', 'c', 'e'], ['b', 'd']]);
    expect(groupRoundRobin(['a', 'b'], 5)).toEqual([['a'], ['b']]);
    expect(groupRoundRobin([], 3)).toEqual([]);
  });

  it('assigns every table to exactly one task, with sizes differing by at most one (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string(), { maxLength: 60 }), fc.integer({ min: 1, max: 20 }), (tables, max) => {
        const groups = groupRoundRobin(tables, max);
        expect(groups.flat().sort()).toEqual([...tables].sort());
        expect(groups.length).toBe(Math.min(tables.length, max));
        const sizes = groups.map((g) => g.length);
        if (sizes.length > 0) expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('the tables key is written quoted and read back by the task', () => {
    const tables = [t('public', 'a,b'), t('Mixed', 'Case"d')];
    const encoded = encodeTableList(pg, tables);
    expect(encoded).toBe('"public"."a,b","Mixed"."Case""d"');
    expect(splitTableList(encoded, '"').map((s) => pg.parseTableId(s))).toEqual(tables);
    const my = new MysqlDialect();
    expect(splitTableList(encodeTableList(my, [{ catalog: 'shop', table: 'orders' }]), '`').map((s) => my.parseTableId(s))).toEqual([{ catalog: 'shop', table: 'orders' }]);
  });
});
