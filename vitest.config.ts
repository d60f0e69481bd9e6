import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Process tests spawn bin/layerctl, which runs dist/: `npm test` expects `npm run build` first
    // (.ci/run and the README do both). Emulator servers listen on port 0, so files may run in parallel.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Vitest runs one fork per core less one: a single fork on this 2-core machine and CI, so files
    // ran one after another. The suite mostly waits (emulator round trips on loopback, injected
    // faults, polls), not computes: four forks overlap the waits (measured: 189 s -> ~100 s on a
    // loaded machine).
    maxWorkers: 4,
    minWorkers: 1,
    globalSetup: ["test/helpers/global-setup.ts"],
  },
});
