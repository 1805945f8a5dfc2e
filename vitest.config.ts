import { defineConfig } from 'vitest/config';

// Three suites: unit (pure, fast), integration (real DynamoDB Local + s3rver, started once per run), infra (CDK).
export default defineConfig({
  test: {
    // Rejections the fuzz and bad-input tests cause on purpose would flood the output; the logs test sets DEBUG itself.
    env: { POWERTOOLS_LOG_LEVEL: 'ERROR' },
    setupFiles: ['local/environment.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
