/**
 * Errors of the MQTT connectors. A refused or lost connection is retriable (the runtime
 * restarts the task with backoff); refused credentials and bad topic filters are not.
 */
import { ConnectorError } from '../connector-errors.ts';

export class MqttError extends ConnectorError {
  override readonly name: string = 'MqttError';
}

export class MqttConnectionError extends MqttError {
  override readonly name = 'MqttConnectionError';
}

export class MqttAuthenticationError extends MqttError {
  override readonly name = 'MqttAuthenticationError';
}

export class MqttSubscriptionError extends MqttError {
  override readonly name = 'MqttSubscriptionError';
}
