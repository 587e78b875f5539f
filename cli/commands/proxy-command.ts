/** `tributary proxy --context prod --port 8083`: an unsigned local port onto a signed endpoint. */
import type { Command } from 'commander';
import { resolveContext } from '../cli-context.ts';
import type { GlobalOptions } from '../command-env.ts';
import { startSigningProxy } from '../signing-proxy.ts';

export function proxyCommand(program: Command): void {
  program
    .command('proxy')
    .description('serve an unsigned local port that signs (SigV4) and forwards to the context, for kcctl, Terraform, Kafbat UI, curl')
    .option('-p, --port <port>', 'local port', '8083')
    .option('--bind <host>', 'local address', '127.0.0.1')
    .option('-v, --verbose', 'log each request', false)
    .action(async (o: { port: string; bind: string; verbose: boolean }, cmd: Command) => {
      const context = resolveContext(cmd.optsWithGlobals<GlobalOptions>());
      const proxy = await startSigningProxy({ context, port: Number(o.port), host: o.bind, ...(o.verbose ? { log: (l: string) => process.stderr.write(`${l}\n`) } : {}) });
      process.stdout.write(`Proxying ${proxy.url} -> ${context.url} (context ${context.name}${context.aws ? `, SigV4 ${context.aws.region}` : ''}). Ctrl-C to stop.\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await proxy.close();
    });
}
