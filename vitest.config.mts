import { defineConfig } from 'vitest/config';

// Four tiers, each saying what it costs; `npm test` runs them all. Below
// each tier's folder, tests mirror the source folders (test/unit/functions/
// domain/rules/decide.test.ts tests functions/domain/rules/decide.ts).
// - unit: pure code and in-memory fakes of our ports (test/fakes/); seconds.
// - component: one part for real over loopback (an adapter against a mock
//   HTTP agent, the PortOne simulator, the CDK app, the local stack).
// - integration: the functions against DynamoDB Local (started once per run
//   by the global setup) and the simulator; the stress scenarios and the
//   bench's smoke run.
// - browser: the demo shop and the checkout in headless Chromium.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: {
      AWS_EC2_METADATA_DISABLED: 'true',
      // Node 20 is supported (README): without this the AWS SDK prints its
      // 9-line notice that its 2027 releases need Node 22, once per test process.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    // `npm run coverage` (all tiers) or `npx vitest run --project unit --coverage`;
    // `npm test` leaves it off to stay fast.
    coverage: {
      provider: 'v8',
      include: ['functions/**'],
      reporter: ['text-summary', 'text', 'json-summary'],
      reportsDirectory: 'test-output/coverage',
    },
    projects: [
      {
        // Inherit the timeouts and env above (inline projects do not by default).
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'component',
          include: ['test/component/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/support/global-setup.ts'],
        },
      },
      {
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
