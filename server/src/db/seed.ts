/**
 * Loads the demo shops idempotently: rows that exist are left alone (an operator's edits and the
 * stock that sales moved survive a re-seed), missing ones are added.
 */
import { variantKey } from "@commerce/contracts/v1";
import type { Sql } from "./database.ts";
import { seedShops } from "./seed-data.ts";

export type Localized = { en: string; de: string };

export interface SeedVariant {
  attributes: Record<string, string>;
  unitAmount: number;
  depositAmount?: number;
  stock: number;
}

export interface SeedProduct {
  sku: string;
  slug: string;
  title: Localized;
  description: Localized;
  variants: SeedVariant[];
}

export interface SeedShop {
  id: string;
  name: string;
  currency: string;
  mode: "sale" | "rental";
  siteUrl: string;
  allowedOrigins: string[];
  requiresCentralInventory?: boolean;
  products: SeedProduct[];
  coupons?: SeedCoupon[];
}

export interface SeedCoupon {
  code: string;
  kind: "percent" | "amount";
  value: number;
  activeFrom?: string;
  activeUntil?: string;
}

export async function seed(sql: Sql, shops: readonly SeedShop[] = seedShops): Promise<void> {
  await sql.begin(async (tx) => {
    for (const shop of shops) {
      await tx`
        insert into shops (id, name, currency, mode, site_url, allowed_origins, requires_central_inventory)
        values (${shop.id}, ${shop.name}, ${shop.currency}, ${shop.mode}, ${shop.siteUrl},
                ${shop.allowedOrigins}, ${shop.requiresCentralInventory ?? false})
        on conflict (id) do nothing`;
      for (const [position, product] of shop.products.entries()) {
        await tx`
          insert into products (shop_id, sku, slug, position, title, description)
          values (${shop.id}, ${product.sku}, ${product.slug}, ${position},
                  ${tx.json(product.title)}, ${tx.json(product.description)})
          on conflict do nothing`;
        for (const [variantPosition, variant] of product.variants.entries()) {
          const key = variantKey(variant.attributes);
          await tx`
            insert into variants (shop_id, sku, variant_key, attributes, unit_amount, deposit_amount, position)
            values (${shop.id}, ${product.sku}, ${key}, ${tx.json(variant.attributes)}, ${variant.unitAmount},
                    ${variant.depositAmount ?? 0}, ${variantPosition})
            on conflict do nothing`;
          await tx`
            insert into stock (shop_id, sku, variant_key, on_hand)
            values (${shop.id}, ${product.sku}, ${key}, ${variant.stock})
            on conflict do nothing`;
        }
      }
      for (const coupon of shop.coupons ?? []) {
        await tx`
          insert into coupons (shop_id, code, kind, value, active_from, active_until)
          values (${shop.id}, ${coupon.code}, ${coupon.kind}, ${coupon.value},
                  ${coupon.activeFrom ?? null}, ${coupon.activeUntil ?? null})
          on conflict do nothing`;
      }
    }
  });
}

/** True when no shop exists yet: the first start of a new database seeds it. */
export async function isEmpty(sql: Sql): Promise<boolean> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from shops`;
  return (row?.n ?? 0) === 0;
}
