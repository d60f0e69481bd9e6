import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Process tests spawn bin/layerctl, which runs dist/: `npm test` expects `npm run build` first
    // (.ci/run and the README do both). Emulator servers listen on port 0, so files may run in parallel.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    globalSetup: ["test/helpers/global-setup.ts"],
  },
});
