/**
 * A private Mosquitto on a free port that requires a username and password, for the tests of
 * refused credentials (the shared broker on 1883 allows anonymous clients). Needs the
 * `mosquitto` and `mosquitto_passwd` binaries (Debian package mosquitto).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../local-host-process.ts';

/** Debian installs the broker in /usr/sbin, which is not on every user's PATH. */
function binary(name: string, dirs: readonly string[]): string {
  return dirs.map((d) => join(d, name)).find((p) => existsSync(p)) ?? name;
}

export class PrivateMosquitto {
  private child: ChildProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'tributary-mosquitto-'));
  port = 0;

  constructor(
    readonly username: string,
    readonly password: string,
  ) {}

  get uri(): string {
    return `tcp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.port = await freePort();
    const passwd = join(this.dir, 'passwd');
    writeFileSync(passwd, '');
    execFileSync(binary('mosquitto_passwd', ['/usr/bin', '/usr/sbin']), ['-b', passwd, this.username, this.password]);
    // Started as root, mosquitto drops to its own user, which must still read the password file.
    chmodSync(this.dir, 0o755);
    chmodSync(passwd, 0o644);
    const conf = join(this.dir, 'mosquitto.conf');
    writeFileSync(conf, `listener ${this.port} 127.0.0.1\nallow_anonymous false\npassword_file ${passwd}\npersistence false\n`);
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
