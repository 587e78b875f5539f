/**
 * The `connection.*` keys shared by the JDBC source and sink, and the create-time check that
 * the database is reachable with the given credentials.
 */
import { ConfigDef, ConfigError, NO_DEFAULT, Validators, type ConfigValueType } from '../../config/config-def.ts';
import type { Props } from '../../plugins/plugin-types.ts';
import { JdbcAuthenticationError, JdbcError, JdbcUrlError } from './errors.ts';
import { openJdbcClient, type ClientSettings } from './jdbc-client.ts';
import { parseJdbcUrl, redactJdbcUrl } from './jdbc-url-parser.ts';
import { isValidTimeZone } from './zoned-time.ts';

export const CONNECTION_GROUP = 'Connection';

export const DIALECT_NAMES = ['', 'PostgreSqlDatabaseDialect', 'MySqlDatabaseDialect'] as const;

/** Adds connection.url, .user, .password, .attempts, .backoff.ms, dialect.name and db.timezone. */
export function defineConnectionKeys(def: ConfigDef): ConfigDef {
  let order = 0;
  return def
    .define({
      name: 'connection.url',
      type: 'STRING',
      defaultValue: NO_DEFAULT,
      importance: 'HIGH',
      documentation:
        'JDBC connection URL, e.g. `jdbc:postgresql://host:5432/db`, `jdbc:mysql://host:3306/db` or `jdbc:mariadb://host:3306/db`. ' +
        'URL parameters `user`, `password`, `ssl`/`sslmode` (PostgreSQL), `useSSL`/`sslMode` (MySQL) and `connectTimeout` are honoured.',
      validator: (name, value) => {
        if (typeof value === 'string') {
          try {
            parseJdbcUrl(value);
          } catch (e) {
            throw new ConfigError((e as Error).message, name);
          }
        }
      },
      group: CONNECTION_GROUP,
      orderInGroup: ++order,
      width: 'LONG',
      displayName: 'JDBC URL',
    })
    .define({
      name: 'connection.user',
      type: 'STRING',
      defaultValue: null,
      importance: 'HIGH',
      documentation: 'JDBC connection user. Overrides a user given in the URL.',
      group: CONNECTION_GROUP,
      orderInGroup: ++order,
      width: 'LONG',
      displayName: 'JDBC User',
    })
    .define({
      name: 'connection.password',
      type: 'PASSWORD',
      defaultValue: null,
      importance: 'HIGH',
      documentation: 'JDBC connection password. Overrides a password given in the URL. Never logged.',
      group: CONNECTION_GROUP,
      orderInGroup: ++order,
      width: 'LONG',
      displayName: 'JDBC Password',
    })
    .define({
      name: 'connection.attempts',
      type: 'INT',
      defaultValue: 3,
      importance: 'LOW',
      documentation: 'Maximum number of attempts to retrieve a valid JDBC connection. Must be a positive integer.',
      validator: Validators.atLeast(1),
      validValues: '[1,...]',
      group: CONNECTION_GROUP,
      orderInGroup: ++order,
      width: 'SHORT',
      displayName: 'JDBC connection attempts',
    })
    .define({
      name: 'connection.backoff.ms',
      type: 'LONG',
      defaultValue: 10000,
      importance: 'LOW',
      documentation: 'Backoff time in milliseconds between connection attempts.',
      group: CONNECTION_GROUP,
      orderInGroup: ++order,
      width: 'SHORT',
      displayName: 'JDBC connection backoff in milliseconds',
    })
    .define({
      name: 'dialect.name',
      type: 'STRING',
      defaultValue: '',
      importance: 'LOW',
      documentation:
        'The name of the database dialect to use. Empty (the default) picks it from the JDBC URL; only the dialect matching the URL is accepted.',
      validator: Validators.in(...DIALECT_NAMES),
      validValues: '[, PostgreSqlDatabaseDialect, MySqlDatabaseDialect]',
      group: CONNECTION_GROUP,
      orderInGroup: ++order,
      width: 'LONG',
      displayName: 'Database Dialect',
    })
    .define({
      name: 'db.timezone',
      type: 'STRING',
      defaultValue: 'UTC',
      importance: 'MEDIUM',
      documentation:
        'Name of the time zone (IANA) of TIMESTAMP WITHOUT TIME ZONE / DATETIME values, used when querying with time-based criteria and when writing timestamps. Defaults to UTC.',
      validator: (name, value) => {
        if (typeof value === 'string' && !isValidTimeZone(value)) {
          throw new ConfigError(`Invalid value ${value} for configuration ${name}: Invalid time zone identifier`, name);
        }
      },
      group: CONNECTION_GROUP,
      orderInGroup: ++order,
      width: 'MEDIUM',
      displayName: 'DB time zone',
    })
    .define({
      name: 'quote.sql.identifiers',
      type: 'STRING',
      defaultValue: 'always',
      importance: 'MEDIUM',
      documentation: 'When to quote table names, column names, and other identifiers in SQL statements: `always` or `never`.',
      validator: Validators.in('always', 'never'),
      validValues: '[always, never]',
      group: CONNECTION_GROUP,
      orderInGroup: ++order,
      width: 'MEDIUM',
      displayName: 'Quote Identifiers',
    });
}

/** Builds driver settings from parsed keys; throws ConfigError for a URL/dialect mismatch. */
export function clientSettingsFrom(parsed: Readonly<Record<string, ConfigValueType>>): ClientSettings {
  const url = String(parsed['connection.url']);
  const connection = parseJdbcUrl(url);
  const dialectName = String(parsed['dialect.name'] ?? '');
  const expected = connection.dialect === 'postgresql' ? 'PostgreSqlDatabaseDialect' : 'MySqlDatabaseDialect';
  if (dialectName !== '' && dialectName !== expected) {
    throw new ConfigError(`dialect.name ${dialectName} does not match the JDBC URL ${redactJdbcUrl(url)}`, 'dialect.name');
  }
  return {
    connection,
    user: nonEmpty(parsed['connection.user']),
    password: nonEmpty(parsed['connection.password']),
    timeZone: String(parsed['db.timezone'] ?? 'UTC'),
    quoteIdentifiers: parsed['quote.sql.identifiers'] !== 'never',
  };
}

/**
 * Connects once to check the URL, credentials and database; returns errors keyed by
 * `connection.url` (unreachable, unknown database) or `connection.password` (rejected login).
 */
export async function checkConnectivity(def: ConfigDef, props: Props): Promise<Record<string, string[]>> {
  const results = def.validate(props);
  const hasErrors = (key: string) => results.some((r) => r.name === key && r.errors.length > 0);
  if (['connection.url', 'connection.user', 'connection.password', 'dialect.name', 'db.timezone'].some(hasErrors)) return {};
  const parsed: Record<string, ConfigValueType> = {};
  for (const r of results) parsed[r.name] = r.value;
  let settings: ClientSettings;
  try {
    settings = clientSettingsFrom(parsed);
  } catch (e) {
    const key = e instanceof ConfigError && e.key ? e.key : 'connection.url';
    return { [key]: [(e as Error).message] };
  }
  try {
    const client = await openJdbcClient(settings);
    await client.close();
    return {};
  } catch (e) {
    if (e instanceof JdbcAuthenticationError && /Authentication failed/.test(e.message)) return { 'connection.password': [e.message] };
    if (e instanceof JdbcUrlError || e instanceof JdbcError) return { 'connection.url': [e.message] };
    return { 'connection.url': [`Cannot connect: ${(e as Error).message}`] };
  }
}

function nonEmpty(v: ConfigValueType | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
