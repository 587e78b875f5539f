/**
 * A private PostgreSQL with `wal_level=logical` for the change data capture tests, created with
 * the Debian server binaries (initdb into a temporary folder, its own free port). The shared
 * PostgreSQL on this machine is never touched.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { waitForPort } from './net-probe.ts';

export interface PostgresCdcServer {
  readonly host: string;
  readonly port: number;
  /** Superuser with replication; password `postgres`. */
  readonly user: string;
  readonly password: string;
  stop(): Promise<void>;
}

/** The newest installed server's bin folder, e.g. /usr/lib/postgresql/15/bin. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

/** PostgreSQL refuses to run as root: run it as the `postgres` account then (signals still reach it). */
function serverUser(): { uid: number; gid: number } | Record<string, never> {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  return { uid: id('-u'), gid: id('-g') };
}

export async function startPostgresCdc(opts: { port: number; log?: (line: string) => void }): Promise<PostgresCdcServer> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('No PostgreSQL server binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql)');
  const dir = mkdtempSync(join(tmpdir(), 'tributary-pg-cdc-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, 'postgres\n', { mode: 0o644 });
  const user = serverUser();
  const init = spawnSync(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--pwfile', pwfile, '-A', 'md5', '-E', 'UTF8', '--no-sync', '--locale=C'], { encoding: 'utf8', ...user });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  // Replication connections need their own pg_hba lines.
  writeFileSync(join(data, 'pg_hba.conf'), 'local all all trust\nhost all all 127.0.0.1/32 md5\nhost replication all 127.0.0.1/32 md5\n');
  const settings = {
    port: String(opts.port),
    listen_addresses: '127.0.0.1',
    unix_socket_directories: dir,
    wal_level: 'logical',
    max_replication_slots: '40',
    max_wal_senders: '40',
    max_connections: '200',
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    shared_buffers: '64MB',
    wal_sender_timeout: '60s',
  };
  const args = ['-D', data, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  let out = '';
  const child: ChildProcess = spawn(join(bin, 'postgres'), args, { stdio: ['ignore', 'pipe', 'pipe'], ...user });
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitForPort(opts.port, { timeoutMs: 60_000, abort: () => (child.exitCode !== null ? `PostgreSQL exited: ${out}` : undefined) });
  // The port opens before the server accepts logins ("the database system is starting up").
  for (let attempt = 0; ; attempt++) {
    const probe = new pg.Client({ host: '127.0.0.1', port: opts.port, user: 'postgres', password: 'postgres', database: 'postgres' });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      await probe.query('SELECT 1');
      await probe.end();
      break;
    } catch (e) {
      await probe.end().catch(() => undefined);
      if (attempt > 100) throw new Error(`PostgreSQL did not accept logins: ${(e as Error).message}\n${out}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  opts.log?.(`PostgreSQL (wal_level=logical) on 127.0.0.1:${opts.port}`);
  return {
    host: '127.0.0.1',
    port: opts.port,
    user: 'postgres',
    password: 'postgres',
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGINT');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
