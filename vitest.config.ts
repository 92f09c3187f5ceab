import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // CLI tests spawn the built binary many times; shared machines can be slow.
    testTimeout: 120_000,
  },
});
