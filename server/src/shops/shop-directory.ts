/**
 * Shop settings, read from the database and kept for a few seconds: they change rarely, and every
 * request needs them. The cache only saves round trips; nothing is decided from stale stock or prices.
 */
import type { Sql } from "../db/database.ts";

export interface Shop {
  id: string;
  name: string;
  currency: string;
  mode: "sale" | "rental";
  defaultLocale: string;
  allowedOrigins: readonly string[];
  siteUrl: string;
  requiresCentralInventory: boolean;
  /** D05: the shop's own Stripe account; null → the platform's. */
  stripeSecretKey: string | null;
  stripeWebhookSecret: string | null;
}

export interface ShopDirectory {
  get(shopId: string): Promise<Shop | undefined>;
  /** Every origin some shop allows: a CORS preflight names no shop, so it is answered from this. */
  anyShopAllows(origin: string): Promise<boolean>;
}

type ShopRow = {
  id: string;
  name: string;
  currency: string;
  mode: "sale" | "rental";
  default_locale: string;
  allowed_origins: string[];
  site_url: string;
  requires_central_inventory: boolean;
  stripe_secret_key: string | null;
  stripe_webhook_secret: string | null;
};

export function createShopDirectory(sql: Sql, options: { ttlMs?: number; now?: () => number } = {}): ShopDirectory {
  const ttlMs = options.ttlMs ?? 5_000;
  const now = options.now ?? Date.now;
  let cache: { at: number; shops: Promise<Map<string, Shop>> } | undefined;

  function load(): Promise<Map<string, Shop>> {
    if (cache && now() - cache.at < ttlMs) return cache.shops;
    const shops = sql<ShopRow[]>`
      select id, name, currency, mode, default_locale, allowed_origins, site_url, requires_central_inventory,
             stripe_secret_key, stripe_webhook_secret
      from shops`.then((rows) => new Map(rows.map((row) => [row.id, toShop(row)])));
    // A failed load is not cached: the next request tries again.
    cache = { at: now(), shops };
    shops.catch(() => {
      if (cache?.shops === shops) cache = undefined;
    });
    return shops;
  }

  return {
    async get(shopId) {
      return (await load()).get(shopId);
    },
    async anyShopAllows(origin) {
      for (const shop of (await load()).values()) if (shop.allowedOrigins.includes(origin)) return true;
      return false;
    },
  };
}

function toShop(row: ShopRow): Shop {
  return {
    id: row.id,
    name: row.name,
    currency: row.currency,
    mode: row.mode,
    defaultLocale: row.default_locale,
    allowedOrigins: row.allowed_origins,
    siteUrl: row.site_url,
    requiresCentralInventory: row.requires_central_inventory,
    stripeSecretKey: row.stripe_secret_key,
    stripeWebhookSecret: row.stripe_webhook_secret,
  };
}
