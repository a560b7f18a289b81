/** What a shopper does, step by step, in either language. */
import { expect, type Page } from "@playwright/test";
import type { Variant } from "./shop.ts";

export type Locale = "en" | "de";

export const paths = {
  home: (locale: Locale) => `/${locale}/`,
  products: (locale: Locale) => (locale === "en" ? "/en/products/" : "/de/produkte/"),
  product: (locale: Locale, slug: string) => (locale === "en" ? `/en/products/${slug}/` : `/de/produkte/${slug}/`),
  cart: (locale: Locale) => (locale === "en" ? "/en/cart/" : "/de/warenkorb/"),
};

/** Picks a choice by its value (colour and size values never collide), as a shopper taps its label. */
export async function choose(page: Page, value: string): Promise<void> {
  await page.locator("label", { has: page.locator(`input[type=radio][value="${value}"]`) }).click();
}

export async function addToCart(page: Page, locale: Locale, variant: Variant, quantity = 1): Promise<void> {
  await page.goto(paths.product(locale, variant.slug));
  await choose(page, variant.color);
  await choose(page, variant.size);
  if (quantity !== 1) await page.getByTestId("quantity").fill(String(quantity));
  const before = Number(await page.getByTestId("cart-count").textContent());
  await page.getByTestId("add-to-cart").click();
  await expect(page.getByTestId("cart-count")).toHaveText(String(before + quantity));
}

/** Opens the cart (through the header link, as a shopper would) and presses checkout. */
export async function checkoutFromCart(page: Page): Promise<void> {
  await page.getByTestId("cart-link").click();
  await expect(page.getByTestId("cart-line").first()).toBeVisible();
  await expect(page.getByTestId("subtotal")).not.toBeEmpty();
  await page.getByTestId("checkout").click();
  await page.waitForURL(/\/pay\/cs_/);
}

/** On the stand-in's hosted page: pay now, or pay later (an asynchronous method that settles in 3 s). */
export async function payOnHostedPage(page: Page, outcome: "paid" | "async_succeeds" = "paid"): Promise<string> {
  await page.locator(`button[value="${outcome}"]`).click();
  await page.waitForURL(/\/thank-you\/\?session_id=cs_/);
  return new URL(page.url()).searchParams.get("session_id") ?? "";
}
