/** What every command gets: the global options resolved into a client, a format and outputs. */
import { resolveContext } from './cli-context.ts';
import { ConnectClient } from './connect-client.ts';
import { outputFormat, type OutputFormat } from './output.ts';

export interface GlobalOptions {
  readonly url?: string;
  readonly context?: string;
  readonly awsRegion?: string;
  readonly output?: string;
}

export interface CommandEnv {
  client(): ConnectClient;
  readonly format: OutputFormat;
  out(text: string): void;
  err(text: string): void;
}

export function commandEnv(o: GlobalOptions): CommandEnv {
  let client: ConnectClient | undefined;
  return {
    client: () => (client ??= new ConnectClient(resolveContext(o))),
    format: outputFormat(o.output),
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
  };
}
