/**
 * The postgres.js patch (patches/postgres@3.4.10.patch): in 3.4.10 `sql.begin()` could write BEGIN
 * without reserving its connection whenever BEGIN filled the connection's pipeline, so other
 * callers' queries ran inside that transaction (porsager/postgres#823, #1189). The pipeline
 * boundary is hit under load, as `pnpm bench` did; `max_pipeline: 0` hits it on every BEGIN, which
 * makes the regression deterministic.
 */
import postgres from "postgres";
import { describe, expect, it } from "vitest";

// Runs in the db:postgres project only (vitest.config.ts): it opens a pool with its own options on
// a real PostgreSQL URL, which the embedded database does not have.
describe("postgres.js transactions", () => {
  it("reserve their connection even when BEGIN fills the pipeline", async () => {
    // `max_pipeline` is a real option that the type definitions leave out.
    const options = { max: 2, max_pipeline: 0, onnotice: () => {} } as postgres.Options<Record<string, never>>;
    const sql = postgres(process.env.DATABASE_URL ?? "", options);
    try {
      const [row] = await sql.begin(async (tx) => tx<{ ok: number }[]>`select 1 as ok`);
      expect(row?.ok).toBe(1);
    } finally {
      await sql.end({ timeout: 5 });
    }
  });
});
