import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../lib/config/config-def.ts';
import { jdbcPlugins } from '../../../../lib/connectors/jdbc/index.ts';
import { jdbcSourceConfigDef, parseSourceSettings } from '../../../../lib/connectors/jdbc/jdbc-source-config.ts';
import { PluginRegistry } from '../../../../lib/plugins/plugin-registry.ts';

const base = { 'connection.url': 'jdbc:postgresql://db:5432/shop?user=u&password=secret', 'topic.prefix': 'shop-' };

describe('JDBC source config', () => {
  it('parses Confluent\'s keys with Confluent\'s defaults', () => {
    const s = parseSourceSettings({ ...base, mode: 'incrementing' });
    expect(s).toMatchObject({
      mode: 'incrementing',
      pollIntervalMs: 5000,
      batchMaxRows: 1000,
      tablePollIntervalMs: 60000,
      timestampDelayMs: 0,
      incrementingColumn: '',
      validateNonNull: true,
      numericMapping: 'none',
      queryRetryAttempts: -1,
      tableTypes: ['TABLE'],
    });
    expect(s.client).toMatchObject({ user: undefined, password: undefined, timeZone: 'UTC', quoteIdentifiers: true, connection: { host: 'db', user: 'u', password: 'secret' } });
  });

  it.each([
    [{ mode: 'timestamp' }, 'timestamp.column.name', /required when mode is timestamp/],
    [{ mode: 'bulk', query: 'SELECT 1', 'table.whitelist': 'a' }, 'query', /may not be combined/],
    [{ mode: 'bulk', 'table.whitelist': 'a', 'table.blacklist': 'b' }, 'table.blacklist', /may not both be set/],
    [{ mode: 'bulk', 'table.exclude.list': 'a' }, 'table.exclude.list', /requires table.include.list/],
    [{ mode: 'bulk', 'table.include.list': '(' }, 'table.include.list', /Invalid regular expression/],
    [{ mode: 'incrementing', query: 'SELECT * FROM t' }, 'incrementing.column.name', /cannot be autodetected/],
    [{ mode: 'sideways' }, 'mode', /String must be one of: bulk, incrementing, timestamp, timestamp\+incrementing/],
    [{ mode: 'bulk', 'db.timezone': 'Mars/Olympus' }, 'db.timezone', /Invalid time zone/],
    [{ mode: 'bulk', 'dialect.name': 'MySqlDatabaseDialect' }, 'dialect.name', /does not match the JDBC URL jdbc:postgresql:\/\/db:5432\/shop\?user=u&password=\*\*\*\*/],
  ])('rejects %j, blaming %s', (extra, key, message) => {
    let error: unknown;
    try {
      parseSourceSettings({ ...base, ...extra });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe(key);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('secret');
  });

  it('marks the password as PASSWORD and hides the task-only `tables` key', () => {
    const def = jdbcSourceConfigDef();
    expect(def.get('connection.password')?.type).toBe('PASSWORD');
    expect(def.get('tables')?.internal).toBe(true);
  });
});

describe('JDBC plugins', () => {
  it('register under Confluent\'s class names and the aliases', () => {
    const registry = new PluginRegistry().register(...jdbcPlugins);
    expect(registry.require('JdbcSource', ['source']).className).toBe('io.confluent.connect.jdbc.JdbcSourceConnector');
    expect(registry.require('JdbcSourceConnector', ['source']).className).toBe('io.confluent.connect.jdbc.JdbcSourceConnector');
    expect(registry.require('JdbcSink', ['sink']).className).toBe('io.confluent.connect.jdbc.JdbcSinkConnector');
    expect(registry.require('io.confluent.connect.jdbc.JdbcSinkConnector', ['sink']).create()).toMatchObject({ type: 'sink' });
  });
});
