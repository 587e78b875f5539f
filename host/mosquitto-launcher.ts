/**
 * A private Mosquitto on a free port: with a username and password for the tests of refused
 * credentials (the shared broker on 1883 allows anonymous clients), or with settings of its own
 * for the benchmark (a queue per client larger than the default 1,000 messages, past which the
 * broker drops QoS 1 messages). Needs the `mosquitto` binary, and `mosquitto_passwd` for a
 * password (Debian package mosquitto).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './net-probe.ts';

/** Debian installs the broker in /usr/sbin, which is not on every user's PATH. */
function binary(name: string, dirs: readonly string[]): string {
  return dirs.map((d) => join(d, name)).find((p) => existsSync(p)) ?? name;
}

export class PrivateMosquitto {
  private child: ChildProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'tributary-mosquitto-'));
  port = 0;

  constructor(
    /** Clients must log in with this user and password; anonymous clients are allowed without. */
    readonly credentials?: { readonly username: string; readonly password: string },
    /** Further lines of mosquitto.conf (`max_queued_messages 100000`, ...). */
    private readonly settings: readonly string[] = [],
  ) {}


  get uri(): string {
    return `tcp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.port = await freePort();
    const lines = [`listener ${this.port} 127.0.0.1`, 'persistence false', ...this.settings];
    if (this.credentials) {
      const passwd = join(this.dir, 'passwd');
      writeFileSync(passwd, '');
      execFileSync(binary('mosquitto_passwd', ['/usr/bin', '/usr/sbin']), ['-b', passwd, this.credentials.username, this.credentials.password]);
      // Started as root, mosquitto drops to its own user, which must still read the password file.
      chmodSync(this.dir, 0o755);
      chmodSync(passwd, 0o644);
      lines.push('allow_anonymous false', `password_file ${passwd}`);
    } else {
      lines.push('allow_anonymous true');
    }
    const conf = join(this.dir, 'mosquitto.conf');
    writeFileSync(conf, `${lines.join('\n')}\n`);
    let output = '';
    this.child = spawn(binary('mosquitto', ['/usr/sbin', '/usr/local/sbin']), ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    this.child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    this.child.on('error', (e) => (output += e.message));
    const deadline = Date.now() + 10_000;
    for (;;) {
      const up = await new Promise<boolean>((resolve) => {
        const s = connect(this.port, '127.0.0.1');
        s.once('connect', () => (s.destroy(), resolve(true)));
        s.once('error', () => resolve(false));
      });
      if (up) return;
      if (Date.now() > deadline) throw new Error(`mosquitto did not listen on ${this.port} within 10 s: ${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  close(): void {
    this.child?.kill('SIGTERM');
    rmSync(this.dir, { recursive: true, force: true });
  }
}
