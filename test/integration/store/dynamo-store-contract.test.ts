/** The DynamoDB connector store, on DynamoDB Local, held to the contract the in-memory store keeps. */
import { inject } from 'vitest';
import { createStore } from '../../../lib/store/store-factory.ts';
import { uniqueName } from '../../support/local-host-process.ts';
import { describeStoreContract } from '../../support/store-contract.ts';

describeStoreContract('DynamoConnectorStore', async () => createStore({ tableName: uniqueName('store-contract'), endpoint: inject('dynamoEndpoint') }));
