/**
 * One test run for the whole repo. Suites that touch a database run once on the embedded PGlite and,
 * when DATABASE_URL names a PostgreSQL (as in CI), once more on it.
 */
import { defineConfig } from "vitest/config";

const databaseSuites = ["server/test/**/*.test.ts"];
/** Suites that need a real PostgreSQL server (their own pools, their own connection options). */
const postgresOnly = "server/test/postgres-only/**";
const onDatabase = (kind: "embedded" | "postgres") => ({
  test: {
    name: `db:${kind}`,
    include: databaseSuites,
    exclude: kind === "embedded" ? [postgresOnly] : [],
    env: { TEST_DATABASE: kind },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["contracts/src/**/*.test.ts", "server/src/**/*.test.ts"] } },
      onDatabase("embedded"),
      ...(process.env.DATABASE_URL ? [onDatabase("postgres")] : []),
    ],
  },
});
