/**
 * Structured JSON logs (Powertools Logger) for every part of Tributary: functions, the local
 * host, runners and connectors. One place decides the format and the level; secrets are kept
 * out by the callers, which never hand it a password or an unredacted URL.
 */
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';

export interface Logger {
  debug(message: string, extra?: Record<string, unknown>): void;
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

/**
 * A logger for one service (a function, the local host); `keys` go into every line, e.g. a
 * connector family's `component`.
 */
export function createLogger(serviceName: string, level: string = process.env.LOG_LEVEL ?? 'INFO', keys: Record<string, string> = {}): Logger {
  const logger = new PowertoolsLogger({ serviceName, logLevel: level as 'INFO', persistentKeys: keys });
  return {
    debug: (message, extra) => logger.debug(message, extra ?? {}),
    info: (message, extra) => logger.info(message, extra ?? {}),
    warn: (message, extra) => logger.warn(message, extra ?? {}),
    error: (message, extra) => logger.error(message, extra ?? {}),
  };
}

/** A logger for a component inside whatever process runs it (a connector family, say). */
export function componentLogger(component: string): Logger {
  return createLogger('tributary', undefined, { component });
}
