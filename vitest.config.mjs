import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Node 20 runs the relaxed-SIMD build only behind this flag (Node 22+ by default).
    execArgv: ['--experimental-wasm-relaxed-simd'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
