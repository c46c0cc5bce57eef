import { defineConfig } from 'vitest/config';

// Two projects: fast tests that need nothing but Node, and integration tests
// that share one DynamoDB Local (started once per run by the global setup).
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { AWS_EC2_METADATA_DISABLED: 'true' },
    projects: [
      {
        // Inherit the timeouts and env above (inline projects do not by default).
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/integration/**', 'test/browser/**'],
        },
      },
      {
        // Inherit the timeouts and env above (inline projects do not by default).
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/support/global-setup.ts'],
        },
      },
      {
        // Inherit the timeouts and env above (inline projects do not by default).
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
    ],
  },
});
