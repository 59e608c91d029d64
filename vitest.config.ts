import { defineConfig } from 'vitest/config';

// Unit tests are fast and pure; integration tests build firmware and boot
// QEMU, so they get long timeouts and run one file at a time (2 cores).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 600_000,
    fileParallelism: false,
    reporters: ['default'],
  },
});
