import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src-core/**/*.test.ts', 'src-main/**/*.test.ts', 'src-renderer/**/*.test.ts', 'test/**/*.test.ts', 'e2e/**/*.e2e.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // 2 cores: integration tests spawn processes of their own
    maxWorkers: 2,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
