/**
 * A private MariaDB with a ROW binary log for the change data capture tests, created with the
 * Debian server binaries (mariadb-install-db into a temporary folder, mariadbd on its own free
 * port). The shared MariaDB on this machine is never touched. User `cdc` / `cdc` has what
 * Debezium documents (SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { waitForPort } from './net-probe.ts';

export interface MariaDbCdcServer {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  stop(): Promise<void>;
}

export async function startMariaDbCdc(opts: { port: number; binlogFormat?: 'ROW' | 'STATEMENT' | 'MIXED'; log?: (line: string) => void }): Promise<MariaDbCdcServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-mariadb-cdc-'));
  const data = join(dir, 'data');
  const socket = join(dir, 'mysqld.sock');
  const init = spawnSync('mariadb-install-db', ['--no-defaults', `--datadir=${data}`, '--user=root', '--auth-root-authentication-method=socket', '--skip-test-db'], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`mariadb-install-db failed (apt-get install mariadb-server): ${init.stderr || init.stdout}`);
  const args = [
    '--no-defaults',
    `--datadir=${data}`,
    `--port=${opts.port}`,
    '--bind-address=127.0.0.1',
    `--socket=${socket}`,
    '--user=root',
    `--log-bin=${join(dir, 'binlog')}`,
    `--binlog-format=${opts.binlogFormat ?? 'ROW'}`,
    '--binlog-row-image=FULL',
    '--server-id=1',
    '--innodb-buffer-pool-size=64M',
    '--innodb-flush-log-at-trx-commit=2',
    '--skip-name-resolve',
    `--pid-file=${join(dir, 'mysqld.pid')}`,
    `--log-error=${join(dir, 'error.log')}`,
  ];
  let out = '';
  const child: ChildProcess = spawn('mariadbd', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitForPort(opts.port, { timeoutMs: 60_000, abort: () => (child.exitCode !== null ? `mariadbd exited: ${out}` : undefined) });
  const root = await mysql.createConnection({ socketPath: socket, user: 'root' });
  try {
    await root.query(`CREATE USER 'cdc'@'%' IDENTIFIED BY 'cdc'`);
    await root.query(`GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT, CREATE, DROP, INSERT, UPDATE, DELETE, ALTER, LOCK TABLES, CREATE USER ON *.* TO 'cdc'@'%' WITH GRANT OPTION`);
  } finally {
    await root.end();
  }
  opts.log?.(`MariaDB (binlog_format=${opts.binlogFormat ?? 'ROW'}) on 127.0.0.1:${opts.port}`);
  return {
    host: '127.0.0.1',
    port: opts.port,
    user: 'cdc',
    password: 'cdc',
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
