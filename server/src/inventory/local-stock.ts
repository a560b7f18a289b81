/** Live availability of some variants from the shop's own stock table, in one query. */
import type { Sql } from "../db/database.ts";
import type { RequestedItem } from "./requested-items.ts";

/** Availability by `sku\0variantKey`; variants the shop does not sell are absent. */
export type Availability = Map<string, number>;

export const variantId = (sku: string, variantKey: string) => `${sku}\u0000${variantKey}`;

export async function readLocalAvailability(sql: Sql, shopId: string, items: readonly RequestedItem[]) {
  const rows = await sql<{ sku: string; variant_key: string; available: number }[]>`
    select s.sku, s.variant_key, greatest(s.on_hand - s.held, 0) as available
    from stock s
    join unnest(${items.map((i) => i.sku)}::text[], ${items.map((i) => i.variantKey)}::text[]) as wanted (sku, variant_key)
      on s.sku = wanted.sku and s.variant_key = wanted.variant_key
    where s.shop_id = ${shopId}`;
  return new Map(rows.map((row) => [variantId(row.sku, row.variant_key), row.available])) as Availability;
}
