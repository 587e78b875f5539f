/** A TCP connect probe for validate: says whether a host:port accepts connections, without speaking its protocol. */
import { connect } from 'node:net';

/** Resolves with undefined when the port accepts a connection, else with the reason it did not. */
export function probeTcp(host: string, port: number, timeoutMs = 3000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (reason: string | undefined) => {
      socket.destroy();
      resolve(reason);
    };
    socket.setTimeout(timeoutMs, () => done(`no answer from ${host}:${port} within ${timeoutMs} ms`));
    socket.once('connect', () => done(undefined));
    socket.once('error', (e: NodeJS.ErrnoException) => done(`cannot connect to ${host}:${port}: ${e.code ?? e.message}`));
  });
}
