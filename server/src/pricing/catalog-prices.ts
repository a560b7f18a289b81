/**
 * The authoritative price, title and live availability of some variants, from the database in one
 * query. Carts hydrate with it and checkout reprices with it: no price ever comes from a client.
 */
import type { Sql } from "../db/database.ts";
import { ApiError } from "../http/api-error.ts";
import type { RequestedItem } from "../inventory/requested-items.ts";
import type { Shop } from "../shops/shop-directory.ts";

export interface PricedVariant {
  sku: string;
  variantKey: string;
  attributes: Record<string, string>;
  title: string;
  unitAmount: number;
  depositAmount: number;
  available: number;
}

type Row = {
  sku: string;
  variant_key: string;
  attributes: Record<string, string>;
  title: string;
  unit_amount: number;
  deposit_amount: number;
  available: number;
};

export const variantId = (sku: string, variantKey: string) => `${sku}\u0000${variantKey}`;

type VariantRef = Pick<RequestedItem, "sku" | "variantKey">;

/** Prices of the variants the shop sells among `items`, by `variantId`; the others are absent. */
export async function lookupVariants(
  sql: Sql,
  shop: Shop,
  items: readonly VariantRef[],
  locale: string = shop.defaultLocale,
): Promise<Map<string, PricedVariant>> {
  if (items.length === 0) return new Map();
  const rows = await sql<Row[]>`
    select v.sku, v.variant_key, v.attributes, v.unit_amount, v.deposit_amount,
           coalesce(p.title ->> ${locale}, p.title ->> ${shop.defaultLocale}) as title,
           greatest(s.on_hand - s.held, 0) as available
    from unnest(${items.map((i) => i.sku)}::text[], ${items.map((i) => i.variantKey)}::text[]) as w (sku, variant_key)
    join variants v on v.shop_id = ${shop.id} and v.sku = w.sku and v.variant_key = w.variant_key
    join products p on p.shop_id = v.shop_id and p.sku = v.sku
    join stock s on s.shop_id = v.shop_id and s.sku = v.sku and s.variant_key = v.variant_key`;
  return new Map(
    rows.map((row) => [
      variantId(row.sku, row.variant_key),
      {
        sku: row.sku,
        variantKey: row.variant_key,
        attributes: row.attributes,
        title: row.title,
        unitAmount: row.unit_amount,
        depositAmount: row.deposit_amount,
        available: row.available,
      },
    ]),
  );
}

/** Prices for `items`, in their order; 400 UNKNOWN_ITEM naming every variant the shop does not sell. */
export async function priceVariants(
  sql: Sql,
  shop: Shop,
  items: readonly VariantRef[],
  locale: string = shop.defaultLocale,
): Promise<PricedVariant[]> {
  const byId = await lookupVariants(sql, shop, items, locale);
  const unknown = items.filter((i) => !byId.has(variantId(i.sku, i.variantKey)));
  if (unknown.length > 0) {
    throw new ApiError(
      "UNKNOWN_ITEM",
      `the shop does not sell ${unknown.map((i) => `${i.sku} (${i.variantKey})`).join(", ")}`,
      { items: unknown.map(({ sku, variantKey }) => ({ sku, variantKey })) },
    );
  }
  return items.map((item) => byId.get(variantId(item.sku, item.variantKey)) as PricedVariant);
}
