/** The in-memory connector store held to the contract the DynamoDB store keeps. */
import { MemoryConnectorStore } from '../../../lib/store/memory-connector-store.ts';
import { describeStoreContract } from '../../support/store-contract.ts';

describeStoreContract('MemoryConnectorStore', async () => new MemoryConnectorStore());
