/**
 * Live availability of variants from the shops' own stock table.
 *
 * Reads are batched: every lookup requested in the same turn of the event loop goes to PostgreSQL as
 * one query (DataLoader, with its cache off so no answer outlives its batch). Under load that turns
 * dozens of concurrent validations into one round trip, and each one still reads stock as it is
 * after the request arrived.
 */
import DataLoader from "dataloader";
import type { Sql } from "../db/database.ts";
import type { RequestedItem } from "./requested-items.ts";

/** Availability by `variantId`; variants the shop does not sell are absent. */
export type Availability = Map<string, number>;

export const variantId = (sku: string, variantKey: string) => `${sku}\u0000${variantKey}`;

type StockKey = { shopId: string; sku: string; variantKey: string };

export interface LocalStock {
  read(shopId: string, items: readonly RequestedItem[]): Promise<Availability>;
}

export function createLocalStock(sql: Sql): LocalStock {
  const loader = new DataLoader<StockKey, number | undefined, string>(
    async (keys) => {
      const rows = await sql<{ shop_id: string; sku: string; variant_key: string; available: number }[]>`
        select s.shop_id, s.sku, s.variant_key, greatest(s.on_hand - s.held, 0) as available
        from stock s
        join unnest(${keys.map((k) => k.shopId)}::text[], ${keys.map((k) => k.sku)}::text[],
                    ${keys.map((k) => k.variantKey)}::text[]) as wanted (shop_id, sku, variant_key)
          on s.shop_id = wanted.shop_id and s.sku = wanted.sku and s.variant_key = wanted.variant_key`;
      const found = new Map(rows.map((r) => [`${r.shop_id}\u0000${variantId(r.sku, r.variant_key)}`, r.available]));
      return keys.map((k) => found.get(`${k.shopId}\u0000${variantId(k.sku, k.variantKey)}`));
    },
    {
      cache: false,
      cacheKeyFn: (k) => `${k.shopId}\u0000${variantId(k.sku, k.variantKey)}`,
      batchScheduleFn: (run) => setImmediate(run),
      maxBatchSize: 500,
    },
  );

  return {
    async read(shopId, items) {
      const answers = await loader.loadMany(items.map((i) => ({ shopId, sku: i.sku, variantKey: i.variantKey })));
      const availability: Availability = new Map();
      answers.forEach((answer, index) => {
        if (answer instanceof Error) throw answer;
        const item = items[index];
        if (answer !== undefined && item) availability.set(variantId(item.sku, item.variantKey), answer);
      });
      return availability;
    },
  };
}
