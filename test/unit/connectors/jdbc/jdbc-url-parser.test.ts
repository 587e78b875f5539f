import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JdbcUrlError } from '../../../../lib/connectors/jdbc/errors.ts';
import { parseJdbcUrl, redactJdbcUrl } from '../../../../lib/connectors/jdbc/jdbc-url-parser.ts';

describe('parseJdbcUrl', () => {
  it('reads a PostgreSQL URL with user, password and TLS mode', () => {
    const o = parseJdbcUrl('jdbc:postgresql://db.example.com:6543/sales?user=app&password=p%40ss&sslmode=require&connectTimeout=7');
    expect(o).toMatchObject({
      dialect: 'postgresql',
      subprotocol: 'postgresql',
      host: 'db.example.com',
      port: 6543,
      database: 'sales',
      user: 'app',
      password: 'p@ss',
      ssl: { rejectUnauthorized: false },
      connectTimeoutMs: 7000,
    });
  });

  it('defaults the port per database and reads MySQL and MariaDB URLs with the MySQL dialect', () => {
    expect(parseJdbcUrl('jdbc:postgresql://localhost/db')).toMatchObject({ port: 5432, ssl: false });
    expect(parseJdbcUrl('jdbc:mysql://localhost/db?useSSL=true')).toMatchObject({ dialect: 'mysql', port: 3306, ssl: { rejectUnauthorized: false } });
    expect(parseJdbcUrl('jdbc:mariadb://h:3307/accounts?user=root&connectTimeout=1500')).toMatchObject({
      dialect: 'mysql',
      subprotocol: 'mariadb',
      host: 'h',
      port: 3307,
      database: 'accounts',
      user: 'root',
      connectTimeoutMs: 1500,
    });
  });

  it('reads user:password@ in the authority, IPv6 hosts, failover lists and pgjdbc short forms', () => {
    expect(parseJdbcUrl('jdbc:mysql://u:s3cret@10.0.0.1:3306/db')).toMatchObject({ user: 'u', password: 's3cret', host: '10.0.0.1' });
    expect(parseJdbcUrl('jdbc:postgresql://[::1]:5433/db')).toMatchObject({ host: '::1', port: 5433 });
    expect(parseJdbcUrl('jdbc:postgresql://primary:5432,replica:5432/db')).toMatchObject({ host: 'primary' });
    expect(parseJdbcUrl('jdbc:postgresql:inventory')).toMatchObject({ host: 'localhost', database: 'inventory' });
    expect(parseJdbcUrl('jdbc:mysql://h/')).toMatchObject({ database: undefined });
  });

  it('rejects other databases and bad ports with JdbcUrlError, never echoing the password', () => {
    expect(() => parseJdbcUrl('jdbc:oracle:thin:@host:1521:db')).toThrow(JdbcUrlError);
    expect(() => parseJdbcUrl('jdbc:mysql://h:99999/db')).toThrow(/invalid port "99999"/);
    try {
      parseJdbcUrl('jdbc:sqlserver://h;password=topsecret');
    } catch (e) {
      expect((e as Error).message).not.toContain('topsecret');
    }
  });

  it('redactJdbcUrl hides passwords in parameters and user info', () => {
    expect(redactJdbcUrl('jdbc:postgresql://h/db?user=a&password=x&ssl=true')).toBe('jdbc:postgresql://h/db?user=a&password=****&ssl=true');
    expect(redactJdbcUrl('jdbc:mysql://u:pw@h/db')).toBe('jdbc:mysql://u:****@h/db');
  });

  it('round-trips any host, port, database and credentials (property)', () => {
    const ident = fc.stringMatching(/^[a-z][a-z0-9_]{0,15}$/);
    const text = fc.string({ minLength: 1, maxLength: 20 });
    fc.assert(
      fc.property(fc.constantFrom('postgresql', 'mysql', 'mariadb'), ident, fc.integer({ min: 1, max: 65535 }), ident, ident, text, (sub, host, port, db, user, password) => {
        const url = `jdbc:${sub}://${host}:${port}/${db}?user=${encodeURIComponent(user)}&password=${encodeURIComponent(password)}`;
        const o = parseJdbcUrl(url);
        expect([o.host, o.port, o.database, o.user, o.password]).toEqual([host, port, db, user, password]);
        expect(redactJdbcUrl(url)).not.toContain(`password=${encodeURIComponent(password)}&`);
      }),
    );
  });
});
