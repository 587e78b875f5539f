/**
 * The JDBC connectors' structured logger. Never give it a password or an unredacted URL:
 * log `redactJdbcUrl(url)` and `describeTarget(settings)` instead.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const jdbcLogger = new Logger({ serviceName: 'tributary', persistentKeys: { component: 'jdbc' } });
