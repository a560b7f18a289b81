/** Reads a shop's catalog with live availability in one query. */
import type { Catalog, CatalogProduct } from "@commerce/contracts/v1";
import type { Sql } from "../db/database.ts";
import type { Shop } from "../shops/shop-directory.ts";

type Row = {
  sku: string;
  slug: string;
  title: string;
  description: string;
  variant_key: string;
  attributes: Record<string, string>;
  unit_amount: number;
  deposit_amount: number;
  available: number;
};

export async function readCatalog(sql: Sql, shop: Shop, locale: string): Promise<Catalog> {
  const rows = await sql<Row[]>`
    select p.sku, p.slug,
           coalesce(p.title ->> ${locale}, p.title ->> ${shop.defaultLocale}) as title,
           coalesce(p.description ->> ${locale}, p.description ->> ${shop.defaultLocale}) as description,
           v.variant_key, v.attributes, v.unit_amount, v.deposit_amount,
           greatest(s.on_hand - s.held, 0) as available
    from products p
    join variants v on v.shop_id = p.shop_id and v.sku = p.sku
    join stock s on s.shop_id = v.shop_id and s.sku = v.sku and s.variant_key = v.variant_key
    where p.shop_id = ${shop.id}
    order by p.position, p.sku, v.position, v.variant_key`;

  const products: CatalogProduct[] = [];
  let current: CatalogProduct | undefined;
  for (const row of rows) {
    if (current?.sku !== row.sku) {
      current = { sku: row.sku, slug: row.slug, title: row.title, description: row.description, variants: [] };
      products.push(current);
    }
    current.variants.push({
      variantKey: row.variant_key,
      attributes: row.attributes,
      unitAmount: row.unit_amount,
      depositAmount: row.deposit_amount,
      available: row.available,
    });
  }
  return { shopId: shop.id, currency: shop.currency, mode: shop.mode, products };
}
