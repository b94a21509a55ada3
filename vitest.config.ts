import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "models/**/*.test.ts"],
    // Fixture projects are inputs to the checkers, not suites (some carry their own *.test.ts files).
    exclude: ["**/node_modules/**", "test/fixtures/**"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
