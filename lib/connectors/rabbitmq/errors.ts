/**
 * Errors of the RabbitMQ connectors. A lost or refused connection is retriable (the runtime
 * restarts the task with backoff); bad credentials, a missing queue or exchange are not.
 */
import { ConnectorError } from '../connector-errors.ts';

export class RabbitMQError extends ConnectorError {
  override readonly name: string = 'RabbitMQError';
}

/** The broker could not be reached or the connection dropped. */
export class RabbitMQConnectionError extends RabbitMQError {
  override readonly name = 'RabbitMQConnectionError';
}

/** The broker refused the user, password or virtual host. */
export class RabbitMQAuthenticationError extends RabbitMQError {
  override readonly name = 'RabbitMQAuthenticationError';
}

/** A queue or exchange the connector needs does not exist. */
export class RabbitMQNotFoundError extends RabbitMQError {
  override readonly name = 'RabbitMQNotFoundError';
}

/** The broker did not confirm published messages (nack or timeout). */
export class RabbitMQPublishError extends RabbitMQError {
  override readonly name = 'RabbitMQPublishError';
}
