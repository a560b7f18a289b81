/**
 * Every page's address in both languages. German product pages live under /de/produkte/, the cart
 * under /de/warenkorb/; /de/cart/ and /de/thank-you/ exist too because the server's default checkout
 * URLs are /{locale}/cart/ and /{locale}/thank-you/.
 */
import type { Locale } from "../i18n/index.ts";

export type Page =
  | { kind: "home" }
  | { kind: "products" }
  | { kind: "product"; slug: string }
  | { kind: "cart" }
  | { kind: "thank-you" };

const productsSlug: Record<Locale, string> = { en: "products", de: "produkte" };
const cartSlug: Record<Locale, string> = { en: "cart", de: "warenkorb" };

export function pathFor(locale: Locale, page: Page): string {
  switch (page.kind) {
    case "home":
      return `/${locale}/`;
    case "products":
      return `/${locale}/${productsSlug[locale]}/`;
    case "product":
      return `/${locale}/${productsSlug[locale]}/${page.slug}/`;
    case "cart":
      return `/${locale}/${cartSlug[locale]}/`;
    case "thank-you":
      return `/${locale}/thank-you/`;
  }
}
