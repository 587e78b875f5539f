/**
 * Finds the tables the source copies (table.whitelist / blacklist, include / exclude regexes,
 * as Confluent's TableMonitorThread) and spreads them over tasks.
 */
import { JdbcError } from './errors.ts';
import type { JdbcClient } from './jdbc-client.ts';
import type { SqlDialect, TableId } from './sql-dialect.ts';

export interface TableFilter {
  readonly whitelist: readonly string[];
  readonly blacklist: readonly string[];
  readonly includeList: readonly string[];
  readonly excludeList: readonly string[];
}

/** The tables passing the filters, in database order; throws when two share an unqualified name. */
export function filterTables(all: readonly TableId[], dialect: SqlDialect, filter: TableFilter): TableId[] {
  const names = (t: TableId) => [dialect.tableName(t, false), dialect.tableName(t, true), t.table];
  let out: TableId[];
  if (filter.includeList.length > 0) {
    const include = filter.includeList.map(fullMatch);
    const exclude = filter.excludeList.map(fullMatch);
    out = all.filter((t) => {
      const fqn = dialect.tableName(t, false);
      return include.some((r) => r.test(fqn)) && !exclude.some((r) => r.test(fqn));
    });
  } else if (filter.whitelist.length > 0) {
    const wl = new Set(filter.whitelist);
    out = all.filter((t) => names(t).some((n) => wl.has(n)));
  } else if (filter.blacklist.length > 0) {
    const bl = new Set(filter.blacklist);
    out = all.filter((t) => !names(t).some((n) => bl.has(n)));
  } else {
    out = [...all];
  }
  const seen = new Map<string, TableId[]>();
  for (const t of out) seen.set(t.table, [...(seen.get(t.table) ?? []), t]);
  const duplicates = [...seen.values()].filter((ts) => ts.length > 1);
  if (duplicates.length > 0) {
    const listed = duplicates.map((ts) => ts.map((t) => dialect.tableName(t, false)).join(', ')).join('; ');
    throw new JdbcError(
      `The connector uses the unqualified table name as the topic name and found tables sharing one: ${listed}. ` +
        'Narrow table.whitelist / table.include.list so each name appears once.',
    );
  }
  return out;
}

/** Lists the database's tables and applies the filters. */
export async function discoverTables(
  client: JdbcClient,
  filter: TableFilter,
  namespacePattern: string | null,
  tableTypes: readonly string[],
): Promise<TableId[]> {
  const { sql, params } = client.dialect.listTables(namespacePattern, tableTypes.length > 0 ? tableTypes : ['TABLE']);
  const r = await client.query(sql, params);
  return filterTables(
    r.rows.map((row) => client.dialect.tableIdFromRow(row)),
    client.dialect,
    filter,
  );
}

/** Splits tables over at most `maxTasks` groups, round-robin, never returning an empty group. */
export function groupRoundRobin<T>(items: readonly T[], maxTasks: number): T[][] {
  const groups = Math.max(1, Math.min(items.length, maxTasks));
  const out: T[][] = Array.from({ length: groups }, () => []);
  items.forEach((item, i) => out[i % groups]?.push(item));
  return items.length === 0 ? [] : out;
}

/** The `tables` task config value: quoted qualified names, comma-separated (as Confluent writes it). */
export function encodeTableList(dialect: SqlDialect, tables: readonly TableId[]): string {
  return tables.map((t) => dialect.tableName(t, true)).join(',');
}

/** Equal when two table lists name the same tables in the same order. */
export function sameTables(dialect: SqlDialect, a: readonly TableId[], b: readonly TableId[]): boolean {
  return encodeTableList(dialect, a) === encodeTableList(dialect, b);
}

function fullMatch(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}
