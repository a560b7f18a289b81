/**
 * One test run for the whole repo. Suites that touch a database run once on the embedded PGlite and,
 * when DATABASE_URL names a PostgreSQL (as in CI), once more on it.
 */
import { defineConfig } from "vitest/config";

const databaseSuites = ["server/test/**/*.test.ts", "client/test/**/*.test.ts"];
/** Suites that need a real PostgreSQL server (their own pools, their own connection options). */
const postgresOnly = "server/test/postgres-only/**";
/** Fault tests: each file runs its own PostgreSQL cluster (pg_ctl on a temporary directory) and child servers. */
const faults = "server/test/faults/**";
const onDatabase = (kind: "embedded" | "postgres") => ({
  test: {
    name: `db:${kind}`,
    include: databaseSuites,
    exclude: kind === "embedded" ? [postgresOnly, faults] : [faults],
    env: { TEST_DATABASE: kind },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: [
            "contracts/src/**/*.test.ts",
            "server/src/**/*.test.ts",
            "client/src/**/*.test.ts",
            "client/scripts/**/*.test.ts",
            "scripts/**/*.test.ts",
          ],
        },
      },
      onDatabase("embedded"),
      ...(process.env.DATABASE_URL ? [onDatabase("postgres")] : []),
      {
        test: {
          name: "faults",
          include: [`${faults}/*.test.ts`],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
