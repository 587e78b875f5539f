/** Builds the DynamoDB-backed connector store from its settings (hosts hold it as the ConnectorStore port). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoConnectorStore } from './dynamo-connector-store.ts';

export function createStore(o: { tableName: string; endpoint?: string | undefined; region?: string | undefined }): DynamoConnectorStore {
  const local = o.endpoint !== undefined;
  const client = new DynamoDBClient({
    ...(local ? { endpoint: o.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    region: o.region ?? process.env.AWS_REGION ?? 'us-east-1',
    maxAttempts: 5,
  });
  return new DynamoConnectorStore(client, o.tableName);
}
