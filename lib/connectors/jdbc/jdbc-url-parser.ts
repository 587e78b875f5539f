/**
 * Parses JDBC URLs (`jdbc:postgresql://…`, `jdbc:mysql://…`, `jdbc:mariadb://…`) into the
 * options the Node drivers take, so existing Kafka Connect configs work unchanged.
 */
import { JdbcUrlError } from './errors.ts';

export type DialectName = 'postgresql' | 'mysql';

export interface JdbcConnectionOptions {
  readonly dialect: DialectName;
  /** The URL's subprotocol as written: mariadb URLs use the MySQL dialect. */
  readonly subprotocol: 'postgresql' | 'mysql' | 'mariadb';
  readonly host: string;
  readonly port: number;
  readonly database: string | undefined;
  readonly user: string | undefined;
  readonly password: string | undefined;
  /** false: plain TCP; otherwise TLS, verifying the server certificate unless told not to. */
  readonly ssl: false | { readonly rejectUnauthorized: boolean };
  readonly connectTimeoutMs: number | undefined;
  /** Every URL parameter, decoded, including the ones mapped above. */
  readonly properties: Readonly<Record<string, string>>;
}

const DEFAULT_PORTS: Record<JdbcConnectionOptions['subprotocol'], number> = {
  postgresql: 5432,
  mysql: 3306,
  mariadb: 3306,
};

/** Parses a JDBC URL; throws JdbcUrlError naming what is wrong (never echoing a password). */
export function parseJdbcUrl(url: string): JdbcConnectionOptions {
  const trimmed = url.trim();
  const m = /^jdbc:(postgresql|mysql|mariadb):(.*)$/i.exec(trimmed);
  if (!m) {
    throw new JdbcUrlError(
      `Unsupported JDBC URL ${redactJdbcUrl(trimmed)}: expected jdbc:postgresql://, jdbc:mysql:// or jdbc:mariadb://`,
    );
  }
  const subprotocol = (m[1] as string).toLowerCase() as JdbcConnectionOptions['subprotocol'];
  let rest = m[2] as string;
  if (subprotocol === 'postgresql' && !rest.startsWith('//')) {
    // pgjdbc's short forms: jdbc:postgresql:database and jdbc:postgresql:/
    rest = `//localhost/${rest.replace(/^\//, '')}`;
  }
  if (!rest.startsWith('//')) throw new JdbcUrlError(`JDBC URL ${redactJdbcUrl(trimmed)} has no //host part`);
  rest = rest.slice(2);

  const queryAt = rest.indexOf('?');
  const query = queryAt >= 0 ? rest.slice(queryAt + 1) : '';
  const beforeQuery = queryAt >= 0 ? rest.slice(0, queryAt) : rest;
  const slashAt = beforeQuery.indexOf('/');
  let authority = slashAt >= 0 ? beforeQuery.slice(0, slashAt) : beforeQuery;
  const dbPart = slashAt >= 0 ? beforeQuery.slice(slashAt + 1) : '';

  const properties: Record<string, string> = {};
  for (const pair of query.split(/[&;]/)) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decode(eq >= 0 ? pair.slice(0, eq) : pair);
    properties[key] = decode(eq >= 0 ? pair.slice(eq + 1) : '');
  }

  let userInfo: string | undefined;
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    userInfo = authority.slice(0, at);
    authority = authority.slice(at + 1);
  }
  // Failover host lists (h1:p1,h2:p2): the first host is used.
  const firstHost = authority.split(',')[0] ?? '';
  if (firstHost.startsWith('address=') || firstHost.startsWith('(')) {
    throw new JdbcUrlError(`JDBC URL ${redactJdbcUrl(trimmed)} uses the address=(...) host form, which is not supported`);
  }
  const { host, port } = splitHostPort(firstHost, DEFAULT_PORTS[subprotocol], trimmed);

  let user = properties['user'];
  let password = properties['password'];
  if (userInfo !== undefined) {
    const colon = userInfo.indexOf(':');
    user ??= decode(colon >= 0 ? userInfo.slice(0, colon) : userInfo);
    if (colon >= 0) password ??= decode(userInfo.slice(colon + 1));
  }

  return {
    dialect: subprotocol === 'postgresql' ? 'postgresql' : 'mysql',
    subprotocol,
    host: host || 'localhost',
    port,
    database: dbPart === '' ? undefined : decode(dbPart),
    user: user === '' ? undefined : user,
    password,
    ssl: sslFrom(subprotocol, properties),
    connectTimeoutMs: timeoutFrom(subprotocol, properties),
    properties,
  };
}

/** The URL with any password (parameter or user-info) replaced by `****`, safe to log. */
export function redactJdbcUrl(url: string): string {
  return url
    .replace(/([?&;]password=)[^&;]*/gi, '$1****')
    .replace(/(\/\/[^:/@]*:)[^@/]*@/, '$1****@');
}

function splitHostPort(hostPort: string, defaultPort: number, url: string): { host: string; port: number } {
  let host = hostPort;
  let portText: string | undefined;
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close < 0) throw new JdbcUrlError(`JDBC URL ${redactJdbcUrl(url)} has an unterminated IPv6 address`);
    host = hostPort.slice(1, close);
    const after = hostPort.slice(close + 1);
    if (after.startsWith(':')) portText = after.slice(1);
  } else {
    const colon = hostPort.lastIndexOf(':');
    if (colon >= 0) {
      host = hostPort.slice(0, colon);
      portText = hostPort.slice(colon + 1);
    }
  }
  if (portText === undefined || portText === '') return { host, port: defaultPort };
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
    throw new JdbcUrlError(`JDBC URL ${redactJdbcUrl(url)} has an invalid port "${portText}"`);
  }
  return { host, port };
}

function sslFrom(subprotocol: string, p: Record<string, string>): JdbcConnectionOptions['ssl'] {
  if (subprotocol === 'postgresql') {
    const mode = p['sslmode']?.toLowerCase();
    if (mode === 'disable' || mode === 'allow' || mode === 'prefer') return false;
    if (mode === 'require') return { rejectUnauthorized: false };
    if (mode === 'verify-ca' || mode === 'verify-full') return { rejectUnauthorized: true };
    if (isTrue(p['ssl'])) return { rejectUnauthorized: p['sslfactory'] !== 'org.postgresql.ssl.NonValidatingFactory' };
    return false;
  }
  const mode = (p['sslMode'] ?? p['sslmode'])?.toUpperCase();
  if (mode === 'DISABLED' || mode === 'PREFERRED') return false;
  if (mode === 'REQUIRED') return { rejectUnauthorized: false };
  if (mode === 'VERIFY_CA' || mode === 'VERIFY_IDENTITY') return { rejectUnauthorized: true };
  if (isTrue(p['useSSL']) || isTrue(p['useSsl']) || isTrue(p['ssl'])) {
    return { rejectUnauthorized: isTrue(p['verifyServerCertificate']) };
  }
  return false;
}

function timeoutFrom(subprotocol: string, p: Record<string, string>): number | undefined {
  if (subprotocol === 'postgresql') {
    // pgjdbc's connectTimeout / loginTimeout are in seconds.
    const s = p['connectTimeout'] ?? p['loginTimeout'];
    return s !== undefined && /^\d+$/.test(s) ? Number(s) * 1000 : undefined;
  }
  const ms = p['connectTimeout'];
  return ms !== undefined && /^\d+$/.test(ms) ? Number(ms) : undefined;
}

function isTrue(v: string | undefined): boolean {
  return v !== undefined && /^(true|1|yes)$/i.test(v);
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
