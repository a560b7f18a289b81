/**
 * Serves a shop's catalog as JSON, cheaply enough to be hit by every page view.
 *
 * Two parts with different lifetimes: the descriptive part (titles, attributes, prices) changes when
 * an operator edits it and is kept for a few seconds per shop and locale; stock changes with every
 * checkout and is read on every request. Requests that arrive while the same shop's catalog is being
 * read share that read and its serialized answer (they asked concurrently, so any of the answers that
 * overlap them is a correct one). Nothing here decides a price or a hold: checkout reprices from the
 * database itself.
 */
import type { Catalog, CatalogProduct } from "@commerce/contracts/v1";
import type { Sql } from "../db/database.ts";
import type { Shop } from "../shops/shop-directory.ts";

type VariantRow = {
  sku: string;
  slug: string;
  title: string;
  description: string;
  variant_key: string;
  attributes: Record<string, string>;
  unit_amount: number;
  deposit_amount: number;
};

type StockRow = { sku: string; variant_key: string; available: number };

export interface CatalogReader {
  /** The catalog of `shop` in `locale`, serialized. */
  read(shop: Shop, locale: string): Promise<string>;
}

export function createCatalogReader(sql: Sql, options: { ttlMs?: number; now?: () => number } = {}): CatalogReader {
  const ttlMs = options.ttlMs ?? 5_000;
  const now = options.now ?? Date.now;
  const descriptive = new Map<string, { at: number; products: Promise<CatalogProduct[]> }>();
  const inFlight = new Map<string, Promise<string>>();

  function products(shop: Shop, locale: string): Promise<CatalogProduct[]> {
    const key = `${shop.id}\u0000${locale}`;
    const cached = descriptive.get(key);
    if (cached && now() - cached.at < ttlMs) return cached.products;
    const loaded = readProducts(sql, shop, locale);
    descriptive.set(key, { at: now(), products: loaded });
    loaded.catch(() => descriptive.delete(key));
    return loaded;
  }

  async function build(shop: Shop, locale: string): Promise<string> {
    const [list, stock] = await Promise.all([
      products(shop, locale),
      sql<StockRow[]>`
        select sku, variant_key, greatest(on_hand - held, 0) as available from stock where shop_id = ${shop.id}`,
    ]);
    const available = new Map(stock.map((row) => [`${row.sku}\u0000${row.variant_key}`, row.available]));
    const catalog: Catalog = {
      shopId: shop.id,
      currency: shop.currency,
      mode: shop.mode,
      products: list.map((product) => ({
        ...product,
        variants: product.variants.map((variant) => ({
          ...variant,
          available: available.get(`${product.sku}\u0000${variant.variantKey}`) ?? 0,
        })),
      })),
    };
    return JSON.stringify(catalog);
  }

  return {
    read(shop, locale) {
      const key = `${shop.id}\u0000${locale}`;
      let answer = inFlight.get(key);
      if (!answer) {
        answer = build(shop, locale).finally(() => inFlight.delete(key));
        inFlight.set(key, answer);
      }
      return answer;
    },
  };
}

async function readProducts(sql: Sql, shop: Shop, locale: string): Promise<CatalogProduct[]> {
  const rows = await sql<VariantRow[]>`
    select p.sku, p.slug,
           coalesce(p.title ->> ${locale}, p.title ->> ${shop.defaultLocale}) as title,
           coalesce(p.description ->> ${locale}, p.description ->> ${shop.defaultLocale}) as description,
           v.variant_key, v.attributes, v.unit_amount, v.deposit_amount
    from products p
    join variants v on v.shop_id = p.shop_id and v.sku = p.sku
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
      available: 0,
    });
  }
  return products;
}
