/** A shopper buys a headband end to end, in each language; the order is recorded and stock goes down. */
import { expect, test } from "@playwright/test";
import { addToCart, checkoutFromCart, type Locale, paths, payOnHostedPage } from "./support/flows.ts";
import { available, sessionStatus, type Variant } from "./support/shop.ts";

const purchases: Array<[Locale, Variant, number]> = [
  ["en", { sku: "cf-headband-classic", slug: "classic", color: "navy", size: "l" }, 2],
  ["de", { sku: "cf-headband-sport", slug: "sport", color: "black", size: "m" }, 1],
];

for (const [locale, variant, quantity] of purchases) {
  test(`full purchase in ${locale}: browse, pick, add, check out, pay, thank-you, empty cart`, async ({ page }) => {
    const stockBefore = await available(variant);
    await page.goto(paths.home(locale));
    await page.goto(paths.products(locale));
    await page
      .locator(`a[href="${paths.product(locale, variant.slug)}"]`)
      .first()
      .click();
    await expect(page).toHaveURL(new RegExp(`${paths.product(locale, variant.slug)}$`));
    await addToCart(page, locale, variant, quantity);
    await checkoutFromCart(page);

    const sessionId = await payOnHostedPage(page);
    expect(page.url()).toContain(`/${locale}/thank-you/`);
    await expect(page.getByTestId("outcome")).toHaveAttribute("data-outcome", "cleared");
    const orderId = (await page.getByTestId("order-id").textContent()) ?? "";
    await expect(page.getByTestId("cart-count")).toHaveText("0");

    const status = await sessionStatus(sessionId);
    expect(status).toMatchObject({ paymentStatus: "paid", orderId });
    expect(await available(variant)).toBe(stockBefore - quantity);
    await page.goto(paths.cart(locale));
    await expect(page.getByTestId("cart-empty")).toBeVisible();
  });
}

test("a cancelled checkout returns to the cart with everything still in it", async ({ page }) => {
  await addToCart(page, "en", { sku: "cf-headband-slim", slug: "slim", color: "black", size: "s" }, 2);
  await checkoutFromCart(page);
  await page.getByRole("link", { name: /cancel/i }).click();
  await expect(page).toHaveURL(/\/en\/cart\/$/);
  await expect(page.getByTestId("cart-line")).toHaveCount(1);
  await expect(page.getByTestId("quantity")).toHaveValue("2");
  await expect(page.getByTestId("cart-count")).toHaveText("2");
});

test("revisiting the thank-you page after starting a new cart leaves the new cart alone", async ({ page }) => {
  await addToCart(page, "en", { sku: "cf-headband-bilateral", slug: "bilateral", color: "black", size: "m" });
  await checkoutFromCart(page);
  await payOnHostedPage(page);
  await expect(page.getByTestId("outcome")).toHaveAttribute("data-outcome", "cleared");
  const thankYou = page.url();

  await addToCart(page, "en", { sku: "cf-headband-kids", slug: "kids", color: "sky", size: "s" }, 3);
  await page.goto(thankYou);
  await expect(page.getByTestId("outcome")).toHaveAttribute("data-outcome", "already-cleared");
  await expect(page.getByTestId("cart-count")).toHaveText("3");
  await page.goto(paths.cart("en"));
  await expect(page.getByTestId("cart-line")).toHaveCount(1);
});

test("an asynchronous payment shows as processing, then as paid once it succeeds", async ({ page }) => {
  await addToCart(page, "en", { sku: "cf-headband-kids", slug: "kids", color: "mint", size: "m" });
  await checkoutFromCart(page);
  const sessionId = await payOnHostedPage(page, "async_succeeds");
  await expect(page.getByTestId("outcome")).toHaveAttribute("data-outcome", "pending");
  await expect(page.getByTestId("cart-count")).toHaveText("1");
  // The stand-in settles "pay later" after 3 s; the shopper presses "check again" until it has.
  await expect(async () => {
    await page.getByTestId("check-again").click();
    await expect(page.getByTestId("outcome")).toHaveAttribute("data-outcome", "cleared", { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByTestId("cart-count")).toHaveText("0");
  expect((await sessionStatus(sessionId)).paymentStatus).toBe("paid");
});
