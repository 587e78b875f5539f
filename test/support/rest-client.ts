/** The REST client tests use: cli/connect-rest-client.ts. */
export * from '../../cli/connect-rest-client.ts';
