/**
 * The JDBC connectors' structured logger. Never give it a password or an unredacted URL:
 * log `redactJdbcUrl(url)` and `describeTarget(settings)` instead.
 */
import { componentLogger } from '../../observability/structured-logger.ts';

export const jdbcLogger = componentLogger('jdbc');
