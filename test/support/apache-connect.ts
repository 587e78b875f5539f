/** Apache Kafka Connect for differential tests: launched by host/apache-connect-launcher.ts. */
export * from '../../host/apache-connect-launcher.ts';
