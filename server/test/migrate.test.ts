/**
 * Migrations and seeding on a real database: each migration file applies exactly once, also when two
 * starts race on a fresh database, and a re-seed adds nothing and overwrites nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Sql } from "../src/db/database.ts";
import { listMigrations, migrate } from "../src/db/migrate.ts";
import { isEmpty, seed } from "../src/db/seed.ts";
import { openTestDatabase, testDatabaseKind } from "./harness.ts";

/** The advisory lock `migrate()` takes; the test holds it to make two runs queue behind each other. */
const MIGRATION_LOCK = 4_242_001;
const allNames = () => listMigrations().map((m) => m.name);

/**
 * Starts two migrate() calls that are both waiting on the migration lock before either may proceed.
 * The embedded database has one connection, so there the two calls are serialized by it instead.
 */
async function migrateConcurrently(sql: Sql): Promise<string[][]> {
  if (testDatabaseKind() === "embedded") return Promise.all([migrate(sql), migrate(sql)]);
  const gate = await sql.reserve();
  let runs: Promise<string[][]> | undefined;
  try {
    await gate`select pg_advisory_lock(${MIGRATION_LOCK})`;
    let settled = false;
    runs = Promise.all([migrate(sql), migrate(sql)]).finally(() => {
      settled = true;
    });
    runs.catch(() => {}); // awaited below; this only keeps a failure from counting as unhandled meanwhile
    for (;;) {
      const [row] = await gate<{ n: number }[]>`
        select count(*)::int as n from pg_locks
        where locktype = 'advisory' and not granted and classid = 0 and objid = ${MIGRATION_LOCK}`;
      if (row?.n === 2) break;
      if (settled)
        throw new Error(`migrate() finished while the test held advisory lock ${MIGRATION_LOCK}: the key changed`);
    }
  } finally {
    await gate`select pg_advisory_unlock(${MIGRATION_LOCK})`;
    gate.release();
  }
  return runs;
}

async function rowCounts(sql: Sql) {
  const [row] = await sql<{ shops: number; products: number; variants: number; stock: number }[]>`
    select (select count(*)::int from shops) as shops, (select count(*)::int from products) as products,
           (select count(*)::int from variants) as variants, (select count(*)::int from stock) as stock`;
  return row;
}

describe("migrate run twice on one database", () => {
  let database: Database;
  let first: string[];
  let second: string[];
  beforeAll(async () => {
    database = await openTestDatabase();
    first = await migrate(database.sql);
    second = await migrate(database.sql);
  });
  afterAll(async () => {
    await database?.close();
  });

  it("applies every migration file, in order, the first time", () => {
    expect(first).toEqual(allNames());
  });

  it("applies nothing the second time", () => {
    expect(second).toEqual([]);
  });

  it("records each migration once", async () => {
    const rows = await database.sql<{ id: number }[]>`select id from schema_migrations order by id`;
    expect(rows.map((r) => r.id)).toEqual(listMigrations().map((m) => m.id));
  });
});

describe("two concurrent migrate calls on one fresh database", () => {
  let database: Database;
  let results: string[][];
  beforeAll(async () => {
    database = await openTestDatabase();
    results = await migrateConcurrently(database.sql);
  });
  afterAll(async () => {
    await database?.close();
  });

  it("apply each file once between them", () => {
    expect(results.flat().sort()).toEqual(allNames().sort());
  });

  it("leave one applying everything and the other applying nothing", () => {
    expect(results.map((applied) => applied.length).sort()).toEqual([0, allNames().length]);
  });

  it("record each migration once", async () => {
    const rows = await database.sql<{ id: number }[]>`select id from schema_migrations order by id`;
    expect(rows.map((r) => r.id)).toEqual(listMigrations().map((m) => m.id));
  });
});

describe("seed run twice on one database", () => {
  const black = { sku: "cf-headband-classic", variantKey: "color:black|size:m" };
  let database: Database;
  let emptyBefore: boolean;
  let afterFirst: Awaited<ReturnType<typeof rowCounts>>;
  let afterSecond: Awaited<ReturnType<typeof rowCounts>>;
  let shopIds: string[];
  beforeAll(async () => {
    database = await openTestDatabase();
    const sql = database.sql;
    await migrate(sql);
    emptyBefore = await isEmpty(sql);
    await seed(sql);
    afterFirst = await rowCounts(sql);
    shopIds = (await sql<{ id: string }[]>`select id from shops order by id`).map((s) => s.id);
    // What sales and an operator change between two starts.
    await sql`update stock set on_hand = 1, held = 1
      where shop_id = 'cochlearfit' and sku = ${black.sku} and variant_key = ${black.variantKey}`;
    await sql`update variants set unit_amount = 3100
      where shop_id = 'cochlearfit' and sku = ${black.sku} and variant_key = ${black.variantKey}`;
    await seed(sql);
    afterSecond = await rowCounts(sql);
  });
  afterAll(async () => {
    await database?.close();
  });

  it("finds a migrated database without shops empty", () => {
    expect(emptyBefore).toBe(true);
  });

  it("fills an empty database with both demo shops", () => {
    expect(shopIds).toEqual(["cochlearfit", "cover-me-pretty"]);
  });

  it("leaves every row count unchanged the second time", () => {
    expect(afterSecond).toEqual(afterFirst);
  });

  it("does not overwrite stock that changed since the first seed", async () => {
    const [row] = await database.sql<{ on_hand: number; held: number }[]>`
      select on_hand, held from stock
      where shop_id = 'cochlearfit' and sku = ${black.sku} and variant_key = ${black.variantKey}`;
    expect(row).toEqual({ on_hand: 1, held: 1 });
  });

  it("does not overwrite a price an operator changed", async () => {
    const [row] = await database.sql<{ unit_amount: number }[]>`
      select unit_amount from variants
      where shop_id = 'cochlearfit' and sku = ${black.sku} and variant_key = ${black.variantKey}`;
    expect(row?.unit_amount).toBe(3100);
  });
});
