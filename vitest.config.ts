import { defineConfig } from 'vitest/config';

// One suite: unit tests (no network), infra tests (CDK templates) and integration tests
// against a real Kafka broker and DynamoDB Local that test/support/global-setup.ts starts.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Integration tests share one broker on a 2-core machine: run files one at a time.
    fileParallelism: false,
    pool: 'forks',
    reporters: ['default'],
  },
});
