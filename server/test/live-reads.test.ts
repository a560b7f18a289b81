/**
 * The catalog reader and the batched stock reads: the shortcuts that make them fast must never show
 * another shop's stock, nor stock older than the request.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCatalogReader } from "../src/catalog/catalog-reader.ts";
import type { Database } from "../src/db/database.ts";
import { migrate } from "../src/db/migrate.ts";
import { seed } from "../src/db/seed.ts";
import { createLocalStock } from "../src/inventory/local-stock.ts";
import { createShopDirectory, type Shop } from "../src/shops/shop-directory.ts";
import { openTestDatabase } from "./harness.ts";

const classic = "cf-headband-classic";
const blackM = "color:black|size:m";

let database: Database;
let cochlearfit: Shop;

beforeAll(async () => {
  database = await openTestDatabase();
  await migrate(database.sql);
  await seed(database.sql);
  const shop = await createShopDirectory(database.sql).get("cochlearfit");
  if (!shop) throw new Error("seed has no cochlearfit");
  cochlearfit = shop;
});
afterAll(async () => {
  await database?.close();
});

async function setOnHand(onHand: number) {
  await database.sql`update stock set on_hand = ${onHand}
    where shop_id = 'cochlearfit' and sku = ${classic} and variant_key = ${blackM}`;
}

function availableIn(json: string): number | undefined {
  const catalog = JSON.parse(json) as {
    products: { sku: string; variants: { variantKey: string; available: number }[] }[];
  };
  return catalog.products.find((p) => p.sku === classic)?.variants.find((v) => v.variantKey === blackM)?.available;
}

describe("catalog reader", () => {
  it("reads stock afresh for every request that does not overlap another", async () => {
    const reader = createCatalogReader(database.sql);
    await setOnHand(7);
    expect(availableIn(await reader.read(cochlearfit, "en"))).toBe(7);
    await setOnHand(4);
    expect(availableIn(await reader.read(cochlearfit, "en"))).toBe(4);
  });

  it("lets concurrent requests for the same catalog share one read", async () => {
    const reader = createCatalogReader(database.sql);
    const first = reader.read(cochlearfit, "en");
    expect(reader.read(cochlearfit, "en")).toBe(first);
    expect(reader.read(cochlearfit, "de")).not.toBe(first);
    await first;
  });

  it("keeps titles and prices for its time to live, then reads them again", async () => {
    let clock = 0;
    const reader = createCatalogReader(database.sql, { ttlMs: 5_000, now: () => clock });
    const price = async () =>
      (JSON.parse(await reader.read(cochlearfit, "en")) as { products: { variants: { unitAmount: number }[] }[] })
        .products[0]?.variants[0]?.unitAmount;
    const before = await price();
    await database.sql`update variants set unit_amount = unit_amount + 100 where shop_id = 'cochlearfit'`;
    clock = 4_999;
    expect(await price()).toBe(before);
    clock = 5_000;
    expect(await price()).toBe((before ?? 0) + 100);
    await database.sql`update variants set unit_amount = unit_amount - 100 where shop_id = 'cochlearfit'`;
  });
});

describe("batched stock reads", () => {
  it("gives each shop its own stock when lookups for several shops share one query", async () => {
    const stock = createLocalStock(database.sql);
    await setOnHand(9);
    // Same sku and key in a shop that does not sell it: it must come back unknown, not as 9.
    const [own, other] = await Promise.all([
      stock.read("cochlearfit", [{ sku: classic, variantKey: blackM, quantity: 1 }]),
      stock.read("cover-me-pretty", [{ sku: classic, variantKey: blackM, quantity: 1 }]),
    ]);
    expect([...own.values()]).toEqual([9]);
    expect(other.size).toBe(0);
  });

  it("reads stock as it is after the request, not from an earlier batch", async () => {
    const stock = createLocalStock(database.sql);
    await setOnHand(3);
    const item = [{ sku: classic, variantKey: blackM, quantity: 1 }];
    expect([...(await stock.read("cochlearfit", item)).values()]).toEqual([3]);
    await setOnHand(2);
    expect([...(await stock.read("cochlearfit", item)).values()]).toEqual([2]);
  });
});
