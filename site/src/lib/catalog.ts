/**
 * The build-time catalog (site/src/data/catalog.json, exported from the server's seed) and what the
 * pages derive from it: localized products, colours, sizes and the head circumference per size.
 * Live prices and stock replace these figures in the islands once the server answers.
 */
import seed from "../data/catalog.json";
import type { Locale } from "../i18n/index.ts";
import type { Variant } from "./variants.ts";

export type { Variant } from "./variants.ts";

export interface Product {
  sku: string;
  slug: string;
  title: string;
  description: string;
  variants: Variant[];
}

interface SeedProduct {
  sku: string;
  slug: string;
  title: Record<Locale, string>;
  description: Record<Locale, string>;
  variants: Variant[];
}

const seedProducts: SeedProduct[] = seed.products;
export const currency: string = seed.currency;

export function productsIn(locale: Locale): Product[] {
  return seedProducts.map((p) => ({
    sku: p.sku,
    slug: p.slug,
    title: p.title[locale],
    description: p.description[locale],
    variants: p.variants,
  }));
}

export const productIn = (locale: Locale, slug: string) => productsIn(locale).find((p) => p.slug === slug);

/** Titles by sku in one language, for lines whose server title is in the shop's default language. */
export const titlesIn = (locale: Locale): Record<string, string> =>
  Object.fromEntries(seedProducts.map((p) => [p.sku, p.title[locale]]));
